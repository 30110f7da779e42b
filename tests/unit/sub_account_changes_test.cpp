#include "collect/sub_account_changes.h"

#include <gtest/gtest.h>

namespace coinw::collect {
namespace {

api::SubAccount sub(uint64_t uid, bool frozen, bool spot, bool contract) {
  api::SubAccount s;
  s.uid = uid;
  s.frozen = frozen;
  s.spot_trade_enabled = spot;
  s.contract_trade_enabled = contract;
  return s;
}

std::string render(const SubAccountChanges& w, const std::map<uint64_t, config::ExpectedSubAccount>& expected = {}) {
  exposition::FamilySet out;
  w.collect(out, {{"account", "main"}}, expected);
  return out.render();
}

const std::string kHead =
    "# HELP coinw_sub_account_changes_total Changes of a sub-account flag seen between consecutive polls of CoinW.\n"
    "# TYPE coinw_sub_account_changes_total counter\n";

TEST(SubAccountChanges, NothingBeforeTheFirstPoll) { EXPECT_EQ(render(SubAccountChanges{}), ""); }

TEST(SubAccountChanges, StartsAtZeroForEveryFlagOfEverySubAccount) {
  SubAccountChanges w;
  w.observe({sub(7, false, true, true), sub(3, true, false, false)});
  EXPECT_EQ(render(w), kHead +
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"3\",flag=\"frozen\"} 0\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"3\",flag=\"spot_trade\"} 0\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"3\",flag=\"contract_trade\"} 0\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"7\",flag=\"frozen\"} 0\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"7\",flag=\"spot_trade\"} 0\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"7\",flag=\"contract_trade\"} 0\n");
}

// CoinW shows the state at poll time only: changes between consecutive polls are counted.
TEST(SubAccountChanges, CountsEachFlagThatDiffersFromThePreviousPoll) {
  SubAccountChanges w;
  w.observe({sub(7, false, true, true)});
  w.observe({sub(7, true, true, false)});   // frozen, contract trading off
  w.observe({sub(7, true, true, false)});   // unchanged
  w.observe({sub(7, false, true, false)});  // unfrozen
  w.observe({});                            // not listed: keeps its counts and last state
  w.observe({sub(7, false, false, false)});
  EXPECT_EQ(render(w), kHead +
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"7\",flag=\"frozen\"} 2\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"7\",flag=\"spot_trade\"} 1\n"
                           "coinw_sub_account_changes_total{account=\"main\",uid=\"7\",flag=\"contract_trade\"} 1\n");
}

TEST(SubAccountChanges, ExpectedStateOnlyForDeclaredFlags) {
  const std::map<uint64_t, config::ExpectedSubAccount> expected = {{5, {std::nullopt, false, std::nullopt}},
                                                                   {9, {true, true, false}}};
  EXPECT_EQ(render(SubAccountChanges{}, expected),
            "# HELP coinw_sub_account_expected_spot_trade_enabled Whether the operator expects spot trading to be "
            "enabled (1) for the sub-account.\n"
            "# TYPE coinw_sub_account_expected_spot_trade_enabled gauge\n"
            "coinw_sub_account_expected_spot_trade_enabled{account=\"main\",uid=\"5\"} 0\n"
            "coinw_sub_account_expected_spot_trade_enabled{account=\"main\",uid=\"9\"} 1\n"
            "# HELP coinw_sub_account_expected_frozen Whether the operator expects the sub-account to be frozen (1) "
            "or not (0).\n"
            "# TYPE coinw_sub_account_expected_frozen gauge\n"
            "coinw_sub_account_expected_frozen{account=\"main\",uid=\"9\"} 1\n"
            "# HELP coinw_sub_account_expected_contract_trade_enabled Whether the operator expects contract trading "
            "to be enabled (1) for the sub-account.\n"
            "# TYPE coinw_sub_account_expected_contract_trade_enabled gauge\n"
            "coinw_sub_account_expected_contract_trade_enabled{account=\"main\",uid=\"9\"} 0\n");
}

}  // namespace
}  // namespace coinw::collect
