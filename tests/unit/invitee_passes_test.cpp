// Windows, the watch list and the scheduler that shares the invitee limit
// between them, in virtual time against the simulator's endpoint logic: the
// values are checked against the simulator's history, the costs against the
// requests it logged.
#include <gtest/gtest.h>

#include "collect/account.h"
#include "common/timefmt.h"
#include "support/account_fixture.h"
#include "support/exposition.h"
#include "support/fake_clock.h"
#include "support/local_time.h"
#include "support/sim_transport.h"

namespace coinw::collect {
namespace {

using namespace std::chrono_literals;
using testing::count_prefix;
using testing::parse_exposition;
using testing::Series;
using WindowKind = config::WindowKind;

using testing::kOffset;
using testing::kUnit;
using testing::local;
using testing::unix_local;

std::string key(const char* metric, const std::string& quote, const std::string& window, uint64_t uid = 0) {
  std::string s = std::string(metric) + "{account=\"main\",quote=\"" + quote + "\",window=\"" + window + "\"";
  if (uid) s += ",uid=\"" + std::to_string(uid) + "\"";
  return s + "}";
}

class InviteePasses : public ::testing::Test, protected testing::AccountFixture {
 protected:
  void SetUp() override { clock_.set_wall(local("2026-12-01 10:00:00")); }

  std::unique_ptr<AccountCollector> make(const config::InviteeAssetsConfig& ia) {
    config::AccountConfig a;
    a.name = "main";
    a.api_key = "AK-0123456789";
    a.secret_key = "SK-0123456789";
    a.invitee_assets = ia;
    a.sub_accounts.enabled = false;
    config::GlobalConfig g;
    g.time_zone_offset_seconds = kOffset;
    return std::make_unique<AccountCollector>(a, derive_client_settings(g, a), gate_, clock_,
                                              [this] { return sim_.transport(); });
  }
  static config::InviteeAssetsConfig with_windows(std::vector<WindowKind> kinds) {
    config::InviteeAssetsConfig ia;
    ia.page_size = 10;
    ia.min_refresh_interval = 1h;
    for (auto k : kinds) {
      static const char* names[] = {"today", "yesterday", "week", "month", "previous_month"};
      ia.windows.push_back({names[static_cast<int>(k)], k, 0, 0});
    }
    return ia;
  }
  sim::Invitee& invitee(size_t i) { return const_cast<sim::Invitee&>(data_.invitees(sim::Quote::usdt)[i]); }
  uint64_t uid_of(size_t i) { return static_cast<uint64_t>(invitee(i).uid); }
  void move_at(size_t i, const char* when, bool deposit, int64_t units) {
    invitee(i).history.push_back({unix_local(when), deposit, units});
  }
  // The simulator's truth for invitee i within [from, to].
  double window_deposit(size_t i, const char* from, const char* to) {
    return static_cast<double>(sim::totals(invitee(i), unix_local(from), unix_local(to)).deposit) / kUnit;
  }

  sim::Dataset data_{7, 30, 0};
  testing::SimTransport sim_{clock_, data_, kOffset};
};

TEST_F(InviteePasses, AWindowSumsExactlyTheEventsBetweenItsFirstAndLastSecond) {
  move_at(0, "2026-12-01 00:00:00", true, 7 * kUnit);     // first second of today: in
  move_at(0, "2026-12-01 23:59:59", true, 11 * kUnit);    // last second: in (booked in advance, as a test may)
  move_at(0, "2026-11-30 23:59:59", true, 1000 * kUnit);  // a second before: out
  move_at(1, "2026-12-01 09:00:00", false, 3 * kUnit);
  auto c = make(with_windows({WindowKind::today}));
  refresh(*c);
  const auto s = scrape(*c);
  const uint64_t uid0 = uid_of(0), uid1 = uid_of(1);
  EXPECT_EQ(s.at(key("coinw_invitee_window_deposit", "usdt", "today", uid0)), 18);
  EXPECT_EQ(s.at(key("coinw_invitee_window_withdrawal", "usdt", "today", uid1)), 3);
  EXPECT_EQ(s.at(key("coinw_invitees_window_deposits", "usdt", "today")), 18);
  EXPECT_EQ(s.at(key("coinw_invitees_window_depositors", "usdt", "today")), 1);
  EXPECT_EQ(s.at("coinw_window_start_timestamp_seconds{account=\"main\",window=\"today\"}"),
            static_cast<double>(unix_local("2026-12-01 00:00:00")));
  EXPECT_EQ(s.at("coinw_window_end_timestamp_seconds{account=\"main\",window=\"today\"}"),
            static_cast<double>(unix_local("2026-12-01 23:59:59")));
  // What was sent: both ends, whole seconds, in CoinW's zone.
  bool windowed = false;
  for (const auto& r : sim_.invitee_requests()) {
    if (!r.param("startTime")) continue;
    windowed = true;
    EXPECT_EQ(*r.param("startTime"), "2026-12-01 00:00:00");
    EXPECT_EQ(*r.param("endTime"), "2026-12-01 23:59:59");
  }
  EXPECT_TRUE(windowed);
  // Lifetime totals still come from the cumulative pass.
  EXPECT_EQ(s.at("coinw_invitee_total_deposit{account=\"main\",quote=\"usdt\",uid=\"" + std::to_string(uid0) + "\"}"),
            static_cast<double>(sim::totals(invitee(0), std::nullopt, std::nullopt).deposit) / kUnit);
}

TEST_F(InviteePasses, EveryWindowEqualsTheSimulatorsHistory) {
  move_at(2, "2026-11-03 08:00:00", true, 5 * kUnit);
  move_at(3, "2026-11-30 23:59:59", true, 9 * kUnit);
  move_at(3, "2026-12-01 00:00:00", true, 2 * kUnit);
  auto c = make(with_windows({WindowKind::yesterday, WindowKind::week, WindowKind::month, WindowKind::previous_month}));
  clock_.set_wall(local("2026-12-01 10:00:00"));
  refresh(*c);
  const auto s = scrape(*c);
  for (size_t i = 0; i < 30; ++i) {
    const uint64_t uid = invitee(i).uid;
    auto got = [&](const char* w) {
      auto it = s.find(key("coinw_invitee_window_deposit", "usdt", w, uid));
      return it == s.end() ? -1.0 : it->second;
    };
    EXPECT_DOUBLE_EQ(got("yesterday"), window_deposit(i, "2026-11-30 00:00:00", "2026-11-30 23:59:59"));
    EXPECT_DOUBLE_EQ(got("week"), window_deposit(i, "2026-11-30 00:00:00", "2026-12-06 23:59:59"));
    EXPECT_DOUBLE_EQ(got("month"), window_deposit(i, "2026-12-01 00:00:00", "2026-12-31 23:59:59"));
    EXPECT_DOUBLE_EQ(got("previous_month"), window_deposit(i, "2026-11-01 00:00:00", "2026-11-30 23:59:59"));
  }
  EXPECT_EQ(s.at(key("coinw_invitees_window_deposits", "usdt", "previous_month")), 14);
  EXPECT_EQ(s.at(key("coinw_invitees_window_deposits", "usdt", "month")), 2);
}

TEST_F(InviteePasses, ARolledOverDayNeverMixesWithThePreviousOne) {
  move_at(0, "2026-12-01 08:00:00", true, 40 * kUnit);
  move_at(5, "2026-12-02 00:00:01", true, 3 * kUnit);
  auto ia = with_windows({WindowKind::today});
  ia.page_size = 5;  // seven requests a pass
  ia.min_refresh_interval = 24h;
  auto c = make(ia);
  clock_.set_wall(local("2026-12-01 23:59:00"));
  refresh(*c);
  EXPECT_EQ(scrape(*c).at(key("coinw_invitees_window_deposits", "usdt", "today")), 40);

  // Past midnight, five requests of seven answered so far: yesterday's rows
  // are gone at once, the sums stay absent, only the new day's rows show.
  clock_.advance(1h);
  clock_.set_wall(local("2026-12-02 00:00:30"));
  sim_.hold_after(5);
  refresh(*c, 60ms);
  auto s = scrape(*c);
  EXPECT_FALSE(s.count(key("coinw_invitees_window_deposits", "usdt", "today")));
  EXPECT_EQ(s.at(key("coinw_invitee_window_deposit", "usdt", "today", uid_of(0))), 0);
  EXPECT_EQ(s.at(key("coinw_invitee_window_deposit", "usdt", "today", uid_of(5))), 3);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_window_deposit{"), 25u);
  EXPECT_EQ(s.at("coinw_window_start_timestamp_seconds{account=\"main\",window=\"today\"}"),
            static_cast<double>(unix_local("2026-12-02 00:00:00")));

  sim_.release();
  refresh(*c);
  s = scrape(*c);
  EXPECT_EQ(s.at(key("coinw_invitees_window_deposits", "usdt", "today")), 3);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_window_deposit{"), 30u);
}

TEST_F(InviteePasses, AClosedWindowIsFetchedOnceAfterItsGraceThenCostsNothing) {
  auto ia = with_windows({WindowKind::yesterday, WindowKind::previous_month});
  ia.closed_window_grace = 1h;
  ia.window_refresh_interval = 5min;
  auto c = make(ia);
  clock_.set_wall(local("2026-12-01 00:30:00"));  // within the grace of both
  refresh(*c);
  EXPECT_EQ(sim_.count("startTime"), 0u) << "nothing fetched before the bookings settle";
  EXPECT_FALSE(scrape(*c).count(key("coinw_invitees_window_deposits", "usdt", "yesterday")));

  clock_.advance(31min);  // 01:01: past the grace
  refresh(*c);
  const size_t first = sim_.count("startTime");
  EXPECT_EQ(first, 2u * 4u) << "30 invitees in pages of 10, plus the empty page ending each pass";
  EXPECT_TRUE(scrape(*c).count(key("coinw_invitees_window_deposits", "usdt", "yesterday")));

  // A day of scrapes later (same day): not one more window request.
  for (int i = 0; i < 20; ++i) {
    clock_.advance(1h);
    refresh(*c);
  }
  EXPECT_EQ(sim_.count("startTime"), first);
  const auto s = scrape(*c);
  EXPECT_EQ(s.at("coinw_invitee_pass_requests_total{account=\"main\",quote=\"usdt\",pass=\"previous_month\"}"), 4);
  EXPECT_TRUE(s.count(key("coinw_invitees_window_deposits", "usdt", "previous_month")));
}

TEST_F(InviteePasses, AnEmptyAnswerForAClosedWindowIsNotKeptForGoodUntilConfirmed) {
  move_at(6, "2026-11-12 12:00:00", true, 70 * kUnit);
  auto ia = with_windows({WindowKind::previous_month});
  ia.window_refresh_interval = 5min;
  auto c = make(ia);
  refresh(*c);  // the cumulative pass (four requests) first, then the window
  sim_.clear();
  auto glitch = make(ia);
  sim_.empty_answers(5);  // the cumulative pass's first page and the window's
  refresh(*glitch);
  sim_.empty_answers(0);
  EXPECT_EQ(scrape(*glitch).at(key("coinw_invitees_window_deposits", "usdt", "previous_month")), 0);
  const size_t after_glitch = sim_.count("startTime");
  clock_.advance(1min);
  refresh(*glitch);
  EXPECT_EQ(sim_.count("startTime"), after_glitch) << "the confirmation waits a refresh interval";
  clock_.advance(5min);
  refresh(*glitch);
  EXPECT_GT(sim_.count("startTime"), after_glitch);
  EXPECT_EQ(scrape(*glitch).at(key("coinw_invitees_window_deposits", "usdt", "previous_month")),
            scrape(*c).at(key("coinw_invitees_window_deposits", "usdt", "previous_month")));
  const size_t settled = sim_.count("startTime");
  clock_.advance(1h);
  refresh(*glitch);
  EXPECT_EQ(sim_.count("startTime"), settled) << "final once it had rows";
}

TEST_F(InviteePasses, AWindowStaysExactWhenCoinwMisbehaves) {
  move_at(8, "2026-12-01 03:00:00", true, 12 * kUnit);
  auto ia = with_windows({WindowKind::today});
  ia.window_refresh_interval = 5min;
  auto c = make(ia);
  const std::string sums = key("coinw_invitees_window_deposits", "usdt", "today");
  // data.total off by 7 either way: a hint only, the pass still ends on its short page.
  for (int skew : {7, -7}) {
    sim::Drift d;
    d.total_skew = skew;
    sim_.drift(d);
    clock_.advance(5min);
    refresh(*c);
    EXPECT_EQ(scrape(*c).at(sums), 12) << "total_skew " << skew;
    EXPECT_EQ(count_prefix(scrape(*c), "coinw_invitee_window_deposit{"), 30u);
  }
  // A closed connection mid-pass: that pass waits for the next scrape, the others go on.
  sim_.drift({});
  clock_.advance(5min);
  sim_.drop_connections(1);
  refresh(*c);
  auto s = scrape(*c);
  EXPECT_EQ(s.at(sums), 12) << "the last complete pass's sum stays";
  EXPECT_EQ(s.at("coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"), 0);
  refresh(*c);
  EXPECT_EQ(scrape(*c).at("coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"), 1);
  // A changed format (times as epoch ms, empty amounts): refused, the last good values stay.
  move_at(8, "2026-12-01 04:00:00", true, 1 * kUnit);
  sim_.drift({}, true);
  clock_.advance(5min);
  refresh(*c);
  s = scrape(*c);
  EXPECT_EQ(s.at(sums), 12);
  EXPECT_EQ(s.at("coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"), 0);
  sim_.drift({});
  clock_.advance(5min);
  refresh(*c);
  EXPECT_EQ(scrape(*c).at(sums), 13);
}

TEST_F(InviteePasses, AnOpenWindowIsRefetchedEveryRefreshIntervalAndNoSooner) {
  auto ia = with_windows({WindowKind::month});
  ia.window_refresh_interval = 5min;
  auto c = make(ia);
  refresh(*c);
  const size_t one_pass = sim_.count("startTime");
  for (int i = 0; i < 4; ++i) {
    clock_.advance(1min);
    refresh(*c);
  }
  EXPECT_EQ(sim_.count("startTime"), one_pass);
  move_at(4, "2026-12-01 10:03:00", true, 6 * kUnit);
  clock_.advance(1min);  // 5 minutes after the first pass
  refresh(*c);
  EXPECT_EQ(sim_.count("startTime"), 2 * one_pass);
  EXPECT_EQ(scrape(*c).at(key("coinw_invitee_window_deposit", "usdt", "month", uid_of(4))),
            window_deposit(4, "2026-12-01 00:00:00", "2026-12-31 23:59:59"));
}

TEST_F(InviteePasses, AWatchedInviteeIsFreshWithinItsInterval) {
  config::InviteeAssetsConfig ia;
  ia.page_size = 10;
  ia.min_refresh_interval = 1h;
  ia.watch.uids = {uid_of(7)};
  ia.watch.min_refresh_interval = 15s;
  auto c = make(ia);
  refresh(*c);
  const std::string series =
      "coinw_invitee_total_deposit{account=\"main\",quote=\"usdt\",uid=\"" + std::to_string(uid_of(7)) + "\"}";
  const double before = scrape(*c).at(series);
  move_at(7, "2026-12-01 10:00:05", true, 250 * kUnit);
  clock_.advance(15s);
  sim_.clear();
  refresh(*c);
  EXPECT_EQ(scrape(*c).at(series), before + 250);
  // One request, for that uid alone; the cumulative pass is not due for an hour.
  const auto sent = sim_.invitee_requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(*sent[0].param("uid"), std::to_string(uid_of(7)));
  EXPECT_EQ(*sent[0].param("pageSize"), "1");
  clock_.advance(10s);
  refresh(*c);
  EXPECT_EQ(sim_.invitee_requests().size(), 1u) << "not again within the interval";
}

TEST_F(InviteePasses, WatchedInviteesKeepTheirSeriesUnderNoneAndTop) {
  auto ia = with_windows({WindowKind::month});
  ia.per_invitee_series = config::PerInviteeSeries::none;
  ia.watch.uids = {uid_of(3), uid_of(9)};
  auto c = make(ia);
  refresh(*c);
  auto s = scrape(*c);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_total_deposit{"), 2u);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_window_deposit{"), 2u);
  EXPECT_TRUE(s.count(key("coinw_invitee_window_deposit", "usdt", "month", uid_of(9))));
  EXPECT_TRUE(s.count(key("coinw_invitees_window_deposits", "usdt", "month"))) << "aggregates cover everyone";
}

TEST_F(InviteePasses, TopRanksEachWindowByItsOwnDeposit) {
  move_at(11, "2026-12-01 01:00:00", true, 900 * kUnit);
  move_at(12, "2026-12-01 01:00:00", true, 800 * kUnit);
  auto ia = with_windows({WindowKind::today});
  ia.per_invitee_series = config::PerInviteeSeries::top;
  ia.top_k = 2;
  auto c = make(ia);
  refresh(*c);
  auto s = scrape(*c);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_window_deposit{"), 2u);
  EXPECT_EQ(s.at(key("coinw_invitee_window_deposit", "usdt", "today", uid_of(11))), 900);
  EXPECT_EQ(s.at(key("coinw_invitee_window_deposit", "usdt", "today", uid_of(12))), 800);
}

TEST_F(InviteePasses, TheWatchListGoesFirstThenCumulativeThenOpenThenClosedWindows) {
  auto ia = with_windows({WindowKind::month, WindowKind::previous_month});
  ia.watch.uids = {uid_of(1)};
  auto c = make(ia);
  clock_.set_wall(local("2026-12-01 12:00:00"));
  sim_.hold_after(5);  // what a short scrape gets
  refresh(*c, 60ms);
  auto sent = sim_.invitee_requests();
  ASSERT_EQ(sent.size(), 5u);
  EXPECT_TRUE(sent[0].param("uid"));
  for (size_t i = 1; i < sent.size(); ++i) {
    EXPECT_FALSE(sent[i].param("uid"));
    EXPECT_FALSE(sent[i].param("startTime")) << "request " << i << " went to a window before the cumulative pass";
  }
  // With time, the cumulative pass completes, then the open window, then the closed one.
  sim_.release();
  refresh(*c);
  sent = sim_.invitee_requests();
  size_t last_cumulative = 0, first_month = 0, first_previous = 0;
  for (size_t i = 0; i < sent.size(); ++i) {
    const auto* start = sent[i].param("startTime");
    if (!start && !sent[i].param("uid")) last_cumulative = i;
    if (start && *start == "2026-12-01 00:00:00" && !first_month) first_month = i;
    if (start && *start == "2026-11-01 00:00:00" && !first_previous) first_previous = i;
  }
  EXPECT_LT(last_cumulative, first_month);
  EXPECT_LT(first_month, first_previous);
}

TEST_F(InviteePasses, APassDueAgainAtOnceRunsOncePerRefresh) {
  auto ia = with_windows({WindowKind::today});
  ia.min_refresh_interval = 0s;
  ia.window_refresh_interval = 0s;
  ia.watch.uids = {uid_of(2)};
  ia.watch.min_refresh_interval = 0s;
  auto c = make(ia);
  refresh(*c);  // an hour of budget: it must still end
  EXPECT_EQ(sim_.count("startTime"), 4u);
  EXPECT_EQ(sim_.count("uid"), 1u);
  EXPECT_EQ(sim_.invitee_requests().size(), 9u);
}

TEST_F(InviteePasses, AFinalWindowSurvivesARestartAndCostsNothing) {
  const auto dir = std::filesystem::temp_directory_path() / ("coinw-windows-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = std::make_shared<StateDir>(dir);
  auto ia = with_windows({WindowKind::previous_month, WindowKind::today});
  {
    auto c = make(ia);
    c->use_state(store);
    clock_.set_wall(local("2026-12-01 10:00:00"));
    refresh(*c);
    store->flush();
  }
  sim_.clear();
  auto c = make(ia);
  c->use_state(store);
  c->restore_state(settings_.staleness_limit);
  auto s = scrape(*c);
  EXPECT_TRUE(s.count(key("coinw_invitees_window_deposits", "usdt", "previous_month")));
  EXPECT_TRUE(s.count(key("coinw_invitees_window_deposits", "usdt", "today"))) << "no gap after a restart";
  refresh(*c);
  for (const auto& r : sim_.invitee_requests())
    EXPECT_FALSE(r.param("startTime") && *r.param("startTime") == "2026-11-01 00:00:00");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coinw::collect
