// The sub-accounts' API keys and transferable funds in the simulator's dataset.
#include <algorithm>

#include "sim/dataset.h"

namespace coinw::sim {
namespace {

constexpr int64_t kUnit = 100'000'000;
constexpr int64_t kCreatedFrom = 1672531200000;  // 2023-01-01, ms: fixed, so output is stable
constexpr int64_t kCreatedTo = 1735689600000;    // 2025-01-01
constexpr uint64_t kAssetStream = 0x6b657973ULL;

std::string random_hex(uint64_t& rng, int len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < len; ++i) s += kHex[random_between(rng, 0, 15)];
  return s;
}

// Each kind once in every four keys, so every combination an audit looks for
// exists in a dozen sub-accounts: read-only behind a whitelist, a spot trader
// behind one, a trader of both markets without one (the risky kind), and a
// read-only key without one.
void set_kind(ApiKey& k, int kind) {
  k.read_only = kind == 0 || kind == 3;
  k.ip_whitelist = kind == 0 || kind == 1;
  k.spot_trade = kind == 1 || kind == 2;
  k.contract_trade = kind == 2;
}

std::vector<std::string> addresses(uint64_t& rng) {
  std::vector<std::string> out;
  const int n = static_cast<int>(random_between(rng, 1, 2));
  for (int i = 0; i < n; ++i) out.push_back("203.0.113." + std::to_string(random_between(rng, 1, 254)));
  return out;
}

}  // namespace

void Dataset::add_assets(SubAccount& s, int index) {
  uint64_t rng = seed_ ^ kAssetStream ^ (static_cast<uint64_t>(s.spot_uid) * 0x9E3779B97F4A7C15ULL);
  next_random(rng);
  for (int j = 0; j < index % 3; ++j) {
    ApiKey k;
    k.key = random_hex(rng, 32);
    // Remarks are free text: some name a person.
    k.remark = j == 0 && index % 2 ? "desk of carol" + std::to_string(index) + "@example.net"
                                   : "bot-" + std::to_string(index) + "-" + std::to_string(j);
    k.created_ms = random_between(rng, kCreatedFrom, kCreatedTo);
    set_kind(k, (index + j) % 4);
    if (k.ip_whitelist) k.whitelist = addresses(rng);
    s.api_keys.push_back(std::move(k));
  }
  for (size_t c = 0; c < kCoins.size(); ++c) {
    // Every fourth holding is empty; the rest up to 50,000 with 8 decimals.
    const bool empty = (static_cast<size_t>(index) + c) % 4 == 3;
    s.transferable.emplace(kCoins[c], empty ? 0 : random_between(rng, 0, 50'000 * kUnit));
  }
}

const ApiKey* Dataset::add_api_key(int64_t spot_uid, ApiKey key) {
  SubAccount* s = find_sub_account(spot_uid);
  if (!s) return nullptr;
  uint64_t rng = seed_ ^ kAssetStream ^ (0xADDC0DEULL + static_cast<uint64_t>(++added_keys_) * 7919);
  key.key = random_hex(rng, 32);
  s->api_keys.push_back(std::move(key));
  return &s->api_keys.back();
}

ApiKey* Dataset::find_api_key(std::string_view key) {
  for (auto& s : subs_)
    for (auto& k : s.api_keys)
      if (k.key == key) return &k;
  return nullptr;
}

bool Dataset::remove_api_key(std::string_view key) {
  for (auto& s : subs_)
    if (std::erase_if(s.api_keys, [&](const ApiKey& k) { return k.key == key; })) return true;
  return false;
}

nlohmann::json assets_json(const SubAccount& s) {
  using nlohmann::json;
  json keys = json::array();
  for (const auto& k : s.api_keys)
    keys.push_back({{"apiKey", k.key},
                    {"apiRemark", k.remark},
                    {"apiWhiteList", k.whitelist},
                    {"createdAt", k.created_ms},
                    {"readonlyFlag", k.read_only ? 1 : 0},
                    {"apiWhiteListFlag", k.ip_whitelist ? 1 : 0},
                    {"spotTradeFlag", k.spot_trade ? 1 : 0},
                    {"contractTradeFlag", k.contract_trade ? 1 : 0}});
  json funds = json::object();
  for (const auto& [coin, units] : s.transferable) funds[coin] = format_amount(units);
  return {{"apiKeys", std::move(keys)}, {"transferable", std::move(funds)}};
}

}  // namespace coinw::sim
