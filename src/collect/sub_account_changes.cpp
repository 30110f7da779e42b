#include "collect/sub_account_changes.h"

#include "exposition/catalogue.h"

#include <string>

namespace coinw::collect {
namespace {

constexpr std::array<const char*, 3> kFlagNames = {"frozen", "spot_trade", "contract_trade"};

std::array<bool, 3> flags_of(const api::SubAccount& s) {
  return {s.frozen, s.spot_trade_enabled, s.contract_trade_enabled};
}

}  // namespace

void SubAccountChanges::observe(const std::vector<api::SubAccount>& rows) {
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

void SubAccountChanges::collect(exposition::FamilySet& out, const exposition::Labels& account,
                                const std::map<uint64_t, config::ExpectedSubAccount>& expected) const {
  {
    std::lock_guard lock(mu_);
    if (!seen_.empty()) {
      auto& changes = exposition::family(out, exposition::metric::sub_account_changes);
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
    auto put = [&](const exposition::FamilySpec& f, const std::optional<bool>& v) {
      if (v) exposition::sample(out, f, l, *v ? 1 : 0);
    };
    put(exposition::metric::sub_account_expected_frozen, e.frozen);
    put(exposition::metric::sub_account_expected_spot_trade_enabled, e.spot_trade);
    put(exposition::metric::sub_account_expected_contract_trade_enabled, e.contract_trade);
  }
}

}  // namespace coinw::collect
