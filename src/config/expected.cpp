#include "config/expected.h"

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
    auto flags = w.map(entry.value, uids->path_of(key), {"frozen", "spot_trade", "contract_trade"});
    if (!flags) continue;
    ExpectedSubAccount& e = out[uid];
    e.frozen = w.boolean(*flags, "frozen");
    e.spot_trade = w.boolean(*flags, "spot_trade");
    e.contract_trade = w.boolean(*flags, "contract_trade");
  }
}

}  // namespace coinw::config::detail
