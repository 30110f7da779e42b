// coinw_sub_account_changes_total and coinw_sub_account_expected_* through the
// exporter, against the simulator's sub-account list.
#include <gtest/gtest.h>

#include "exporter/exporter.h"
#include "sim/simulator.h"
#include "support/exposition.h"

namespace coinw {
namespace {

using testing::parse_exposition;

class SubAccountChanges : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::Options o;
    o.sub_accounts = 4;
    o.invitees = 0;
    sim_ = std::make_unique<sim::Simulator>(o);
    sim_->start();
    const auto subs = sim_->dataset_json()["subAccounts"];
    uid_ = subs[0]["spotUid"].get<int64_t>();
    frozen_ = subs[0]["frozenFlag"].get<int>() == 1;
    spot_ = subs[0]["spotTradeFlag"].get<int>() == 1;
  }
  void apply(std::map<uint64_t, config::ExpectedSubAccount> expected = {}) {
    config::AccountConfig a;
    a.name = "main";
    a.base_url = sim_->url();
    a.api_key = "demo-key";
    a.secret_key = "demo-secret";
    a.invitee_assets.enabled = false;
    // Every scrape polls; the exporter's own limiter keeps to 3/s.
    a.sub_accounts.min_refresh_interval = std::chrono::milliseconds(0);
    a.sub_accounts.expected = std::move(expected);
    config::Config c;
    c.accounts = {a};
    exp_.apply(c);
  }
  testing::Series scrape() { return parse_exposition(exp_.metrics({}).joined()); }
  double changes(const testing::Series& s, const char* flag) {
    return s.at("coinw_sub_account_changes_total{account=\"main\",uid=\"" + std::to_string(uid_) + "\",flag=\"" + flag +
                "\"}");
  }

  std::unique_ptr<sim::Simulator> sim_;
  exporter::Exporter exp_{SystemClock::instance()};
  int64_t uid_ = 0;
  bool frozen_ = false, spot_ = false;
};

TEST_F(SubAccountChanges, CountedBetweenPollsFromZero) {
  apply();
  auto s = scrape();
  for (const char* flag : {"frozen", "spot_trade", "contract_trade"}) EXPECT_EQ(changes(s, flag), 0) << flag;
  EXPECT_EQ(testing::count_prefix(s, "coinw_sub_account_changes_total{"), 4u * 3);

  ASSERT_TRUE(sim_->freeze(uid_, !frozen_));
  s = scrape();
  EXPECT_EQ(changes(s, "frozen"), 1);
  EXPECT_EQ(changes(s, "spot_trade"), 0);

  // Flipped and flipped back between two polls: CoinW shows only the state at
  // poll time, so this is not seen (README: metrics).
  ASSERT_TRUE(sim_->freeze(uid_, frozen_));
  ASSERT_TRUE(sim_->freeze(uid_, !frozen_));
  s = scrape();
  EXPECT_EQ(changes(s, "frozen"), 1);

  ASSERT_TRUE(sim_->freeze(uid_, frozen_));
  ASSERT_TRUE(sim_->set_trade(uid_, false, std::nullopt));
  s = scrape();
  EXPECT_EQ(changes(s, "frozen"), 2);
  EXPECT_EQ(changes(s, "spot_trade"), spot_ ? 1 : 0);
}

TEST_F(SubAccountChanges, ExpectedStateIsExported) {
  config::ExpectedSubAccount spot_off, frozen_contract_on;
  spot_off.spot_trade = false;
  frozen_contract_on.frozen = frozen_contract_on.contract_trade = true;
  apply({{static_cast<uint64_t>(uid_), spot_off}, {42, frozen_contract_on}});
  const auto s = scrape();
  const std::string l = "{account=\"main\",uid=\"" + std::to_string(uid_) + "\"}";
  EXPECT_EQ(s.at("coinw_sub_account_expected_spot_trade_enabled" + l), 0);
  EXPECT_EQ(s.count("coinw_sub_account_expected_frozen" + l), 0u) << "only declared flags";
  EXPECT_EQ(s.at("coinw_sub_account_expected_frozen{account=\"main\",uid=\"42\"}"), 1);
  EXPECT_EQ(s.at("coinw_sub_account_expected_contract_trade_enabled{account=\"main\",uid=\"42\"}"), 1);
}

}  // namespace
}  // namespace coinw
