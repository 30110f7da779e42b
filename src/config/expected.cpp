#include "config/expected.h"

#include <algorithm>
#include <charconv>

namespace coinw::config::detail {

void expected_sub_accounts(Walker& w, const Map& sub_accounts, std::map<uint64_t, ExpectedSubAccount>& out) {
  const YAML::Node* node = sub_accounts.find("expected");
  if (!node) return;
  const auto uids = w.any_map(*node, sub_accounts.path_of("expected"));
  if (!uids) return;
  for (const auto& entry : uids->entries) {
    const std::string& key = entry.key;
    uint64_t uid = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), uid);
    if (ec != std::errc() || end != key.data() + key.size()) {
      w.error(entry.line, uids->path, "keys must be numeric sub-account uids, got '" + key + "'");
      continue;
    }
    if (out.contains(uid)) {
      w.error(entry.line, uids->path_of(key), "the same uid as an earlier key");
      continue;
    }
    auto flags = w.map(entry.value, uids->path_of(key),
                       {"frozen", "spot_trade", "contract_trade", "max_api_keys", "read_only_api_keys"});
    if (!flags) continue;
    ExpectedSubAccount& e = out[uid];
    e.frozen = w.boolean(*flags, "frozen");
    e.spot_trade = w.boolean(*flags, "spot_trade");
    e.contract_trade = w.boolean(*flags, "contract_trade");
    e.max_api_keys = w.integer(*flags, "max_api_keys", 0, 1000);
    e.read_only_api_keys = w.boolean(*flags, "read_only_api_keys");
  }
}

void funds_coins(Walker& w, const Map& funds, std::vector<std::string>& out) {
  auto items = w.list(funds, "coins");
  if (!items) return;
  out.clear();
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string path = funds.path_of("coins") + "[" + std::to_string(i) + "]";
    const int line = line_of((*items)[i]);
    auto coin = w.scalar((*items)[i], line, path, "a coin code such as USDT");
    if (!coin) continue;
    const bool code = !coin->empty() && coin->size() <= 16 && std::all_of(coin->begin(), coin->end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
    if (!code)
      w.error(line, path, "must be a coin code in upper case such as USDT, got '" + *coin + "'");
    else if (std::find(out.begin(), out.end(), *coin) != out.end())
      w.error(line, path, "duplicate coin " + *coin);
    else
      out.push_back(*coin);
  }
}

}  // namespace coinw::config::detail
