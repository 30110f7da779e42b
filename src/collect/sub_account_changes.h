#pragma once
// What an operator watches on sub-accounts besides their current state: how
// often each flag changed, and the state they are meant to have.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "api/parse.h"
#include "config/config.h"
#include "exposition/family_set.h"

namespace coinw::collect {

class SubAccountChanges {
 public:
  // The list from one successful poll. CoinW shows only the state at poll
  // time, so a flag counts one change when it differs from the previous poll
  // that listed the sub-account; a flip and back between two polls is not seen.
  void observe(const std::vector<api::SubAccount>& rows);

  // coinw_sub_account_changes_total for every sub-account ever listed (0 from
  // the first poll), and coinw_sub_account_expected_* for each declared flag.
  void collect(exposition::FamilySet& out, const exposition::Labels& account,
               const std::map<uint64_t, config::ExpectedSubAccount>& expected) const;

 private:
  static constexpr size_t kFlags = 3;  // frozen, spot_trade, contract_trade
  struct Seen {
    std::array<bool, kFlags> state{};
    std::array<uint64_t, kFlags> changes{};
  };
  mutable std::mutex mu_;
  std::map<uint64_t, Seen> seen_;
};

}  // namespace coinw::collect
