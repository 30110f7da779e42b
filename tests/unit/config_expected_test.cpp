// accounts[].sub_accounts.expected: the state the operator means sub-accounts to have.
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/config_problems.h"

namespace coinw::config {
namespace {

const std::string kAccount =
    "accounts:\n  - name: main\n    api_key: AK-9f3c1e7d2b8a4c6e\n    secret_key: SK-4d2e8f1a9c7b3e5d\n";

Loaded parse(const std::string& sub_accounts) {
  return parse_config(kAccount + "    sub_accounts:\n" + sub_accounts, "config.yml",
                      [](const std::string&) { return std::nullopt; });
}

std::vector<std::string> problems_of(const std::string& sub_accounts) {
  return testing::config_problems(sub_accounts, [](const std::string& y) { parse(y); });
}

TEST(ConfigExpected, EveryFlagIsOptional) {
  const auto c = parse(
                     "      expected:\n"
                     "        \"1001\": {spot_trade: false}\n"
                     "        1002: {frozen: true, spot_trade: true, contract_trade: false}\n"
                     "        1003: {}\n")
                     .config;
  const auto& e = c.accounts.at(0).sub_accounts.expected;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e.at(1001), (ExpectedSubAccount{std::nullopt, false, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(e.at(1002), (ExpectedSubAccount{true, true, false, std::nullopt, std::nullopt}));
  EXPECT_EQ(e.at(1003), ExpectedSubAccount{});
  EXPECT_TRUE(parse("      enabled: true\n").config.accounts.at(0).sub_accounts.expected.empty());
}

TEST(ConfigExpected, EveryProblemWithFileLineAndPath) {
  EXPECT_EQ(problems_of("      expected:\n"
                        "        abc: {frozen: true}\n"
                        "        -5: {frozen: true}\n"
                        "        1001: {frozn: true}\n"
                        "        1002: {spot_trade: maybe}\n"
                        "        1003: {contract_trade: 1}\n"
                        "        1004: true\n"
                        "        1001: {frozen: false}\n"
                        "        01002: {}\n"),
            (std::vector<std::string>{
                "config.yml:7: accounts[0].sub_accounts.expected: keys must be numeric sub-account uids, got 'abc'",
                "config.yml:8: accounts[0].sub_accounts.expected: keys must be numeric sub-account uids, got '-5'",
                "config.yml:9: accounts[0].sub_accounts.expected.1001.frozn: unknown key (did you mean frozen?)",
                "config.yml:10: accounts[0].sub_accounts.expected.1002.spot_trade: must be true or false, got 'maybe'",
                "config.yml:11: accounts[0].sub_accounts.expected.1003.contract_trade: must be true or false, got '1'",
                "config.yml:12: accounts[0].sub_accounts.expected.1004: must be a map, got a scalar",
                "config.yml:13: accounts[0].sub_accounts.expected.1001: duplicate key (first at line 9)",
                "config.yml:14: accounts[0].sub_accounts.expected.01002: the same uid as an earlier key",
            }));
  EXPECT_EQ(problems_of("      expected: [1001]\n"),
            std::vector<std::string>{"config.yml:6: accounts[0].sub_accounts.expected: must be a map, got a list"});
}

TEST(ConfigExpected, ApiKeyExpectationsAndFundsCoins) {
  const auto c = parse(
                     "      expected: {1001: {max_api_keys: 1, read_only_api_keys: true}}\n"
                     "      api_keys: {enabled: false, min_refresh_interval: 2m}\n"
                     "      funds: {coins: [USDT, BTC], min_refresh_interval: 30m}\n")
                     .config.accounts.at(0)
                     .sub_accounts;
  EXPECT_EQ(c.expected.at(1001).max_api_keys, 1);
  EXPECT_EQ(c.expected.at(1001).read_only_api_keys, true);
  EXPECT_FALSE(c.api_keys.enabled);
  EXPECT_EQ(c.api_keys.min_refresh_interval, std::chrono::minutes(2));
  EXPECT_EQ(c.funds.coins, (std::vector<std::string>{"USDT", "BTC"}));
  EXPECT_EQ(c.funds.min_refresh_interval, std::chrono::minutes(30));
  EXPECT_EQ(problems_of("      expected: {1001: {max_api_keys: -1}}\n"
                        "      funds: {coins: [usdt, USDT, USDT, \"B T\"]}\n"),
            (std::vector<std::string>{
                "config.yml:6: accounts[0].sub_accounts.expected.1001.max_api_keys: must be between 0 and 1000, got -1",
                "config.yml:7: accounts[0].sub_accounts.funds.coins[0]: must be a coin code in upper case such as "
                "USDT, got 'usdt'",
                "config.yml:7: accounts[0].sub_accounts.funds.coins[2]: duplicate coin USDT",
                "config.yml:7: accounts[0].sub_accounts.funds.coins[3]: must be a coin code in upper case such as "
                "USDT, got 'B T'",
            }));
}

TEST(ConfigExpected, AChangeIsAConfigChange) {
  const auto a = parse("      expected: {1001: {frozen: false}}\n").config;
  const auto b = parse("      expected: {1001: {frozen: true}}\n").config;
  EXPECT_NE(a.accounts[0], b.accounts[0]);
}

}  // namespace
}  // namespace coinw::config
