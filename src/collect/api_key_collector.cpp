#include "collect/api_key_collector.h"

#include <nlohmann/json.hpp>

#include "collect/labels.h"
#include "collect/state_codec.h"
#include "exposition/catalogue.h"

namespace coinw::collect {
namespace {

using exposition::sample;
using exposition::with;
using nlohmann::json;
namespace metric = exposition::metric;

constexpr std::array<const char*, ApiKeyInventory::kChanges> kChangeNames = {"added", "removed", "flags"};

json bit_json(const std::optional<bool>& b) { return b ? json(*b ? 1 : 0) : json(nullptr); }
std::optional<bool> bit_of(const json& v) { return v.is_null() ? std::nullopt : std::optional(int_of(v) == 1); }

api::SubAccountApiKey key_of(const json& r) {
  api::SubAccountApiKey k;
  k.user_code = r.at("user_code").get<std::string>();
  k.key = r.at("key").get<std::string>();
  k.remark = r.at("remark").get<std::string>();
  if (!r.at("created_ms").is_null()) k.created_ms = int_of(r["created_ms"]);
  k.read_only = bit_of(r.at("read_only"));
  k.ip_whitelist = bit_of(r.at("ip_whitelist"));
  k.spot_trade = bit_of(r.at("spot_trade"));
  k.contract_trade = bit_of(r.at("contract_trade"));
  return k;
}

// userCode -> uid, from the sub-account list.
std::map<std::string, std::string, std::less<>> uids_of(const SubAccountCollector::Rows& subs) {
  std::map<std::string, std::string, std::less<>> out;
  if (subs)
    for (const auto& s : *subs) out.emplace(s.user_code, std::to_string(s.uid));
  return out;
}

}  // namespace

ApiKeyCollector::ApiKeyCollector(config::SubAccountsConfig config, const SubAccountCollector& list)
    : config_(std::move(config)),
      list_(list),
      pass_(
          "api_keys", Priority::api_keys, config_.api_keys.min_refresh_interval,
          [](api::Client& c, TimePoint deadline) { return c.sub_account_api_keys(deadline); },
          [this](api::SubAccountApiKeys keys, const Now& at) { take(std::move(keys), at); }) {}

void ApiKeyCollector::take(api::SubAccountApiKeys answer, const Now& at) {
  std::vector<std::string> owners;
  if (const auto subs = list_.current())
    for (const auto& s : *subs) owners.push_back(s.user_code);
  if (!inventory_.observe(std::move(answer.rows), owners, at.steady, config_.api_keys.min_refresh_interval)) return;
  std::lock_guard lock(mu_);
  fetched_ = at.wall;
}

std::optional<WallTime> ApiKeyCollector::full_refresh_time() const {
  std::lock_guard lock(mu_);
  return fetched_;
}

bool ApiKeyCollector::drop_stale() {
  if (!inventory_.keys()) return false;
  inventory_.clear();
  return true;
}

void ApiKeyCollector::collect(exposition::FamilySet& out, const RenderContext& r) const {
  const auto uids = uids_of(list_.current());
  auto owner = [&](const std::string& user_code) {
    const auto it = uids.find(user_code);
    return with(with(r.account, "uid", it == uids.end() ? "" : it->second), "user_code", bounded(user_code));
  };
  if (const auto keys = r.fresh ? inventory_.keys() : nullptr) {
    std::map<std::string, size_t, std::less<>> per_owner;
    for (const auto& [code, uid] : uids) per_owner.emplace(code, 0);
    for (const auto& k : *keys) {
      ++per_owner[k.user_code];
      const auto l = with(owner(k.user_code), "key", k.key);
      auto put = [&](const exposition::FamilySpec& f, const std::optional<bool>& v) {
        if (v) sample(out, f, l, *v ? 1 : 0);
      };
      put(metric::sub_account_api_key_read_only, k.read_only);
      put(metric::sub_account_api_key_ip_whitelist_enabled, k.ip_whitelist);
      put(metric::sub_account_api_key_spot_trade_enabled, k.spot_trade);
      put(metric::sub_account_api_key_contract_trade_enabled, k.contract_trade);
      if (k.created_ms) sample(out, metric::sub_account_api_key_created, l, static_cast<double>(*k.created_ms) / 1000);
      sample(out, metric::sub_account_api_key_info, with(l, "remark", nick_name_label(k.remark, r.nick_name)), 1);
    }
    for (const auto& [code, n] : per_owner)
      sample(out, metric::sub_account_api_keys, owner(code), static_cast<double>(n));
  }
  for (const auto& [code, counts] : inventory_.changes())
    for (size_t c = 0; c < counts.size(); ++c)
      sample(out, metric::sub_account_api_key_changes, with(owner(code), "change", kChangeNames[c]),
             static_cast<double>(counts[c]));
  for (const auto& [uid, e] : config_.expected) {
    const auto l = with(r.account, "uid", std::to_string(uid));
    if (e.max_api_keys) sample(out, metric::sub_account_expected_max_api_keys, l, *e.max_api_keys);
    if (e.read_only_api_keys)
      sample(out, metric::sub_account_expected_read_only_api_keys, l, *e.read_only_api_keys ? 1 : 0);
  }
}

void ApiKeyCollector::collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const {
  sub_account_pass_progress(out, account, pass_);
}

size_t ApiKeyCollector::rows() const {
  const auto keys = inventory_.keys();
  return keys ? keys->size() : 0;
}

StateSlice ApiKeyCollector::snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const {
  return [keys = inventory_.keys(), fetched, nick](json& file) {
    json rows = json::array();
    if (keys)
      for (const auto& k : *keys)
        // Only what is exposed goes to disk: the key masked, the remark by policy.
        rows.push_back({{"user_code", k.user_code},
                        {"key", k.key},
                        {"remark", nick_name_label(k.remark, nick)},
                        {"created_ms", k.created_ms ? json(*k.created_ms) : json(nullptr)},
                        {"read_only", bit_json(k.read_only)},
                        {"ip_whitelist", bit_json(k.ip_whitelist)},
                        {"spot_trade", bit_json(k.spot_trade)},
                        {"contract_trade", bit_json(k.contract_trade)}});
    file["sub_account_keys"] = {{"fetched_at_ns", time_json(fetched)}, {"rows", std::move(rows)}};
  };
}

std::optional<WallTime> ApiKeyCollector::restore(const json& file, const RestoreContext& r) {
  auto restored = usable_rows<api::SubAccountApiKey>(file, "sub_account_keys", r, key_of);
  if (!restored) return std::nullopt;
  auto& [fetched, rows] = *restored;
  pass_.restored(r.steady(fetched), fetched);
  inventory_.restore(std::move(rows));
  std::lock_guard lock(mu_);
  fetched_ = fetched;
  return fetched;
}

}  // namespace coinw::collect
