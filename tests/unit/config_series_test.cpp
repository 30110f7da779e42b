#include <gtest/gtest.h>

#include "config/config.h"

namespace coinw::config {
namespace {

const std::string kAccount = "accounts:\n  - name: main\n    api_key: k\n    secret_key: s\n";

InviteeAssetsConfig invitees(const std::string& yaml) {
  return parse_config(kAccount + yaml, "config.yml", [](const std::string&) { return std::nullopt; })
      .config.accounts[0]
      .invitee_assets;
}

std::string problem(const std::string& yaml) {
  try {
    invitees(yaml);
  } catch (const ConfigError& e) {
    return e.problems.at(0);
  }
  return "accepted";
}

TEST(ConfigSeries, DefaultsExportEveryInvitee) {
  auto c = invitees("");
  EXPECT_EQ(c.per_invitee_series, PerInviteeSeries::all);
  EXPECT_EQ(c.top_k, 100);
  EXPECT_EQ(c.top_by, TopBy::current_balance);
}

TEST(ConfigSeries, TopKByDepositAndNone) {
  auto c = invitees("    invitee_assets: {per_invitee_series: top, top_k: 25, top_by: total_deposit}\n");
  EXPECT_EQ(c.per_invitee_series, PerInviteeSeries::top);
  EXPECT_EQ(c.top_k, 25);
  EXPECT_EQ(c.top_by, TopBy::total_deposit);
  EXPECT_EQ(invitees("    invitee_assets: {per_invitee_series: none}\n").per_invitee_series, PerInviteeSeries::none);
}

TEST(ConfigSeries, ErrorsNameKeyAndReason) {
  EXPECT_EQ(problem("    invitee_assets: {per_invitee_series: some}\n"),
            "config.yml:5: accounts[0].invitee_assets.per_invitee_series: must be all, top or none, got 'some'");
  EXPECT_EQ(problem("    invitee_assets: {top_k: 0}\n"),
            "config.yml:5: accounts[0].invitee_assets.top_k: must be between 1 and 100000, got 0");
  EXPECT_EQ(problem("    invitee_assets: {top_by: withdrawals}\n"),
            "config.yml:5: accounts[0].invitee_assets.top_by: must be current_balance or total_deposit, got "
            "'withdrawals'");
}

TEST(ConfigSeries, DescribeSaysWhichSeries) {
  auto loaded = parse_config(kAccount + "    invitee_assets: {per_invitee_series: top, top_k: 7}\n", "c.yml",
                             [](const std::string&) { return std::nullopt; });
  EXPECT_NE(describe(loaded.config).find("per-invitee series top 7 by current_balance"), std::string::npos);
}

}  // namespace
}  // namespace coinw::config
