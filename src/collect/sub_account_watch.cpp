#include "collect/sub_account_watch.h"

#include <string>

namespace coinw::collect {
namespace {

constexpr std::array<const char*, 3> kFlagNames = {"frozen", "spot_trade", "contract_trade"};

std::array<bool, 3> flags_of(const api::SubAccount& s) {
  return {s.frozen, s.spot_trade_enabled, s.contract_trade_enabled};
}

}  // namespace

void SubAccountWatch::observe(const std::vector<api::SubAccount>& rows) {
  std::lock_guard lock(mu_);
  for (const auto& row : rows) {
    const auto now = flags_of(row);
    auto [it, first_time] = seen_.try_emplace(row.uid, Seen{now, {}});
    if (first_time) continue;
    for (size_t f = 0; f < kFlags; ++f)
      if (it->second.state[f] != now[f]) ++it->second.changes[f];
    it->second.state = now;
  }
}

void SubAccountWatch::collect(exposition::FamilySet& out, const exposition::Labels& account,
                              const std::map<uint64_t, config::ExpectedSubAccount>& expected) const {
  {
    std::lock_guard lock(mu_);
    if (!seen_.empty()) {
      auto& changes = out.family("coinw_sub_account_changes_total",
                                 "Changes of a sub-account flag seen between consecutive polls of CoinW.", "counter");
      for (const auto& [uid, seen] : seen_) {
        const auto l = exposition::with(account, "uid", std::to_string(uid));
        for (size_t f = 0; f < kFlags; ++f)
          changes.sample(exposition::render_labels(exposition::with(l, "flag", kFlagNames[f])),
                         static_cast<double>(seen.changes[f]));
      }
    }
  }
  for (const auto& [uid, e] : expected) {
    const auto l = exposition::with(account, "uid", std::to_string(uid));
    auto gauge = [&](const char* name, const char* help, const std::optional<bool>& v) {
      if (v) out.gauge(name, help, l, *v ? 1 : 0);
    };
    gauge("coinw_sub_account_expected_frozen", "Whether the operator expects the sub-account to be frozen (1) or not (0).",
          e.frozen);
    gauge("coinw_sub_account_expected_spot_trade_enabled",
          "Whether the operator expects spot trading to be enabled (1) for the sub-account.", e.spot_trade);
    gauge("coinw_sub_account_expected_contract_trade_enabled",
          "Whether the operator expects contract trading to be enabled (1) for the sub-account.", e.contract_trade);
  }
}

}  // namespace coinw::collect
