// invitee_assets.windows and invitee_assets.watch.
#include <gtest/gtest.h>

#include "common/timefmt.h"
#include "config/config.h"
#include "support/config_problems.h"

namespace coinw::config {
namespace {

const std::string kAccount =
    "accounts:\n  - name: main\n    api_key: AK-9f3c1e7d2b8a4c6e\n    secret_key: SK-4d2e8f1a9c7b3e5d\n";

Loaded parse(const std::string& invitee_assets, const std::string& global = "") {
  return parse_config(global + kAccount + "    invitee_assets:\n" + invitee_assets, "config.yml",
                      [](const std::string&) { return std::nullopt; });
}

std::vector<std::string> problems_of(const std::string& invitee_assets, const std::string& global = "") {
  return testing::config_problems(invitee_assets, [&](const std::string& y) { parse(y, global); });
}

TEST(ConfigWindows, CalendarWordsAndFixedWindowsInTheConfiguredZone) {
  const auto ia = parse(
                      "      windows:\n"
                      "        - today\n"
                      "        - previous_month\n"
                      "        - name: q4_campaign\n"
                      "          start: \"2026-10-01 00:00:00\"\n"
                      "          end: \"2026-12-31 23:59:59\"\n"
                      "      window_refresh_interval: 10m\n"
                      "      closed_window_grace: 2h\n",
                      "global:\n  time_zone: \"+08:00\"\n")
                      .config.accounts.at(0)
                      .invitee_assets;
  ASSERT_EQ(ia.windows.size(), 3u);
  EXPECT_EQ(ia.windows[0], (WindowConfig{"today", WindowKind::today, 0, 0}));
  EXPECT_EQ(ia.windows[1].kind, WindowKind::previous_month);
  EXPECT_EQ(ia.windows[2].name, "q4_campaign");
  EXPECT_EQ(ia.windows[2].start, parse_coinw_time("2026-10-01 00:00:00", 8 * 3600).value());
  EXPECT_EQ(ia.windows[2].end, parse_coinw_time("2026-12-31 23:59:59", 8 * 3600).value());
  EXPECT_EQ(ia.window_refresh_interval, std::chrono::minutes(10));
  EXPECT_EQ(ia.closed_window_grace, std::chrono::hours(2));
  EXPECT_TRUE(parse("      enabled: true\n").config.accounts.at(0).invitee_assets.windows.empty());
}

TEST(ConfigWindows, EveryProblemWithLineAndPath) {
  EXPECT_EQ(problems_of("      windows:\n"
                        "        - tomorrow\n"
                        "        - today\n"
                        "        - today\n"
                        "        - name: Q4\n"
                        "          start: \"2026-10-01 00:00:00\"\n"
                        "          end: \"2026-12-31 23:59:59\"\n"
                        "        - name: late\n"
                        "          start: \"2026-10-02 00:00:00\"\n"
                        "          end: \"2026-10-01 00:00:00\"\n"
                        "        - name: odd\n"
                        "          start: \"2026-10-01\"\n"
                        "        - name: cumulative\n"
                        "          start: \"2026-10-01 00:00:00\"\n"
                        "          end: \"2026-10-01 00:00:00\"\n"),
            (std::vector<std::string>{
                "config.yml:7: accounts[0].invitee_assets.windows[0]: must be today, yesterday, week, month, "
                "previous_month or {name, start, end}, got 'tomorrow'",
                "config.yml:9: accounts[0].invitee_assets.windows[2]: duplicate window name 'today'",
                "config.yml:10: accounts[0].invitee_assets.windows[3].name: must match [a-z][a-z0-9_]{0,31}, got 'Q4'",
                "config.yml:15: accounts[0].invitee_assets.windows[4].end: must not be before start",
                "config.yml:16: accounts[0].invitee_assets.windows[5].end: required",
                "config.yml:17: accounts[0].invitee_assets.windows[5].start: must be a time like \"2026-10-01 "
                "00:00:00\", got '2026-10-01'",
                "config.yml:18: accounts[0].invitee_assets.windows[6]: 'cumulative' names a pass already: choose "
                "another window name",
            }));
}

TEST(ConfigWatch, UidsAndInterval) {
  const auto w = parse("      watch:\n        uids: [12345678, 87654321]\n        min_refresh_interval: 20s\n")
                     .config.accounts.at(0)
                     .invitee_assets.watch;
  EXPECT_EQ(w.uids, (std::vector<uint64_t>{12345678, 87654321}));
  EXPECT_EQ(w.min_refresh_interval, std::chrono::seconds(20));
  EXPECT_EQ(problems_of("      watch:\n        uids: [12, x, 0, 12]\n"),
            (std::vector<std::string>{
                "config.yml:7: accounts[0].invitee_assets.watch.uids[1]: must be a positive whole number (an invitee "
                "uid), got 'x'",
                "config.yml:7: accounts[0].invitee_assets.watch.uids[2]: must be a positive whole number (an invitee "
                "uid), got '0'",
                "config.yml:7: accounts[0].invitee_assets.watch.uids[3]: duplicate uid 12",
            }));
}

TEST(ConfigWatch, AListCostingMoreThanHalfTheInviteeRateIsRefusedWithWhatFits) {
  // 2.5 requests/s at the default 5/s: 38 uids every 15 s is 2.53.
  std::string uids;
  for (int i = 1; i <= 38; ++i) uids += (i > 1 ? ", " : "") + std::to_string(1000 + i);
  EXPECT_EQ(problems_of("      watch:\n        uids: [" + uids + "]\n"),
            (std::vector<std::string>{
                "config.yml:7: accounts[0].invitee_assets.watch.uids: 38 uids x 1 quote(s) every 15s is 2.53 "
                "requests/s, more than half of the invitee endpoint's 5/s: watch at most 37 uids at this interval, "
                "or set min_refresh_interval to at least 15s200ms"}));
  // 37 fit; two quotes double the cost.
  uids = uids.substr(0, uids.rfind(','));
  EXPECT_NO_THROW(parse("      watch:\n        uids: [" + uids + "]\n"));
  EXPECT_FALSE(problems_of("      quotes: [usdt, usdc]\n      watch:\n        uids: [" + uids + "]\n").empty());
}

TEST(ConfigPeriods, DescribeNamesWindowsAndWatchList) {
  const auto c = parse("      windows: [today, month]\n      watch:\n        uids: [1, 2]\n").config;
  const std::string d = describe(c);
  EXPECT_NE(d.find("windows today,month (open ones every 5m, closed ones once, 1h after their end)"), std::string::npos)
      << d;
  EXPECT_NE(d.find("watching 2 uid(s) every 15s"), std::string::npos) << d;
}

// The cost is per invitee, not per scrape: passes keep going between scrapes at
// the endpoint's whole rate, so only the intervals, quotes and page size count.
TEST(ConfigPeriods, DescribeSaysHowManyInviteesTheIntervalsFitAtTheWholeRate) {
  // (60 cumulative + 2 open windows x 12) passes/h over 100 rows a page; previous_month runs once.
  std::string d = describe(parse("      windows: [today, month, previous_month]\n").config);
  EXPECT_NE(d.find("cost 840 requests/h per 1,000 invitees, so 18000/h (5/s) refreshes up to about 21428 invitees"),
            std::string::npos)
      << d;
  // Two watched uids every 15 s take 480 of the 18,000 first; a second quote doubles everything.
  d = describe(
      parse("      quotes: [usdt, usdc]\n      windows: [today, month]\n      watch:\n        uids: [1, 2]\n").config);
  EXPECT_NE(d.find("cost 1680 requests/h per 1,000 invitees + 960/h for the watch list, so 18000/h (5/s) refreshes "
                   "up to about 10142 invitees"),
            std::string::npos)
      << d;
}

// The funnel shares the invitee limiter: the open day's volume scales with the
// invitees (a 1,000-row page every 5 minutes per 1,000), a sign-up walk does not.
TEST(ConfigPeriods, DescribeCountsTheFunnelAgainstTheSameRate) {
  auto c = parse("      windows: [today, month, previous_month]\n").config;
  c.accounts[0].invitee_registrations.enabled = true;
  c.accounts[0].invitee_trade_volume.enabled = true;
  const std::string d = describe(c);
  // 840 + 12 per 1,000; 6 sign-up walks an hour (every 10 minutes) come off the 18,000 first.
  EXPECT_NE(d.find("cost 852 requests/h per 1,000 invitees (the open day's volume included) + 6/h for the "
                   "sign-ups, so 18000/h (5/s) refreshes up to about 21119 invitees"),
            std::string::npos)
      << d;
}

}  // namespace
}  // namespace coinw::config
