// The affiliate funnel (registrations and trading volume) in virtual time
// against the simulator's endpoint logic: values are checked against the
// simulator's dataset, costs against the requests it logged.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <unistd.h>
#include <nlohmann/json.hpp>

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
int32_t day(const char* date) { return parse_coinw_date(date).value(); }

std::string windowed(const char* metric, const std::string& window) {
  return std::string(metric) + "{account=\"main\",window=\"" + window + "\"}";
}
const std::string kAllTime = "coinw_invitees_registered_all_time{account=\"main\"}";

class Funnel : public ::testing::Test, protected testing::AccountFixture {
 protected:
  void SetUp() override { clock_.set_wall(local("2026-12-01 10:00:00")); }

  std::unique_ptr<AccountCollector> make(std::vector<WindowKind> kinds, bool invitee_assets = false) {
    config::AccountConfig a;
    a.name = "main";
    a.api_key = "AK-0123456789";
    a.secret_key = "SK-0123456789";
    a.invitee_assets.enabled = invitee_assets;
    a.invitee_assets.page_size = 10;
    a.invitee_assets.min_refresh_interval = 1h;
    for (auto k : kinds) {
      static const char* names[] = {"today", "yesterday", "week", "month", "previous_month"};
      a.invitee_assets.windows.push_back({names[static_cast<int>(k)], k, 0, 0});
    }
    a.sub_accounts.enabled = false;
    a.invitee_registrations.enabled = true;
    a.invitee_registrations.page_size = 10;
    a.invitee_trade_volume.enabled = true;
    a.invitee_trade_volume.page_size = 10;
    config::GlobalConfig g;
    g.time_zone_offset_seconds = kOffset;
    return std::make_unique<AccountCollector>(a, derive_client_settings(g, a), gate_, clock_,
                                              [this] { return sim_.transport(); });
  }
  std::vector<testing::SimTransport::FunnelRequest> lists() const {
    return sim_.funnel_requests(facts::kInviteeListPath);
  }
  std::vector<testing::SimTransport::FunnelRequest> volumes() const {
    return sim_.funnel_requests(facts::kInviteeVolumePath);
  }
  // The days a volume request asked for.
  static std::pair<int32_t, int32_t> days_of(const testing::SimTransport::FunnelRequest& r) {
    const auto body = nlohmann::json::parse(r.body);
    return {parse_coinw_date(body.at("startTime").get<std::string>()).value(),
            parse_coinw_date(body.at("endTime").get<std::string>()).value()};
  }
  // The simulator's truth: the volume of [first, last], in coins.
  double volume(int32_t first, int32_t last) const {
    int64_t units = 0;
    for (const auto& [key, v] : data_.volumes())
      if (first <= key.first && key.first <= last) units += v;
    return static_cast<double>(units) / kUnit;
  }
  size_t traders(int32_t first, int32_t last) const {
    std::set<int64_t> uids;
    for (const auto& [key, v] : data_.volumes())
      if (first <= key.first && key.first <= last) uids.insert(key.second);
    return uids.size();
  }

  sim::Dataset data_{7, 30, 0, sim::Anchor{unix_local("2026-12-01 10:00:00"), kOffset}};
  testing::SimTransport sim_{clock_, data_, kOffset};
};

TEST_F(Funnel, RegistrationsAreWalkedOnceFromSinceThenOnlyTheNewOnes) {
  auto c = make({WindowKind::today});
  refresh(*c);
  auto sent = lists();
  ASSERT_EQ(sent.size(), 4u) << "three full pages of 10, then the empty fourth";
  for (const auto& r : sent) {
    EXPECT_EQ(*sim::find_param(r.query, "startTime"), "2017-01-01 00:00:00") << "never CoinW's default month";
    EXPECT_EQ(*sim::find_param(r.query, "endTime"), "2026-12-02 10:00:00")
        << "a day ahead: registerTime's zone is unknown";
  }
  auto s = scrape(*c);
  EXPECT_EQ(s.at(kAllTime), 30);
  EXPECT_EQ(s.at(windowed("coinw_invitees_registered", "today")), 0);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_registration_timestamp_seconds{"), 30u);
  const auto first = data_.signups().front();
  EXPECT_EQ(
      s.at("coinw_invitee_registration_timestamp_seconds{account=\"main\",uid=\"" + std::to_string(first.uid) + "\"}"),
      static_cast<double>(first.registered));

  clock_.advance(5min);
  refresh(*c);
  EXPECT_EQ(lists().size(), 4u) << "not before min_refresh_interval";
  const int64_t uid = data_.add_signup(unix_local("2026-12-01 10:04:00"));
  clock_.advance(config::RegistrationsConfig{}.min_refresh_interval);
  refresh(*c);
  sent = lists();
  ASSERT_EQ(sent.size(), 5u) << "one short page of new sign-ups";
  EXPECT_EQ(*sim::find_param(sent[4].query, "startTime"), "2026-11-30 10:00:00")
      << "from a day before the last complete walk started";
  s = scrape(*c);
  EXPECT_EQ(s.at(kAllTime), 31);
  EXPECT_EQ(s.at(windowed("coinw_invitees_registered", "today")), 1);
  EXPECT_EQ(s.at("coinw_invitee_registration_timestamp_seconds{account=\"main\",uid=\"" + std::to_string(uid) + "\"}"),
            static_cast<double>(unix_local("2026-12-01 10:04:00")));
  EXPECT_EQ(s.at("coinw_invitee_pass_requests_total{account=\"main\",pass=\"registrations\"}"), 5);
}

TEST_F(Funnel, ASignUpDuringPagingIsNeitherLostNorCountedTwice) {
  auto c = make({WindowKind::today});
  int64_t late = 0;
  sim_.after_funnel_answer([&](sim::Dataset& d, size_t answered) {
    // Newest first: the new row pushes every later row one place down.
    if (answered == 1) late = d.add_signup(unix_local("2026-12-01 10:00:00"));
  });
  refresh(*c);
  auto s = scrape(*c);
  EXPECT_EQ(s.at(kAllTime), 30) << "the shifted row came twice and counts once; none was skipped";
  sim_.after_funnel_answer({});
  clock_.advance(config::RegistrationsConfig{}.min_refresh_interval);
  refresh(*c);
  s = scrape(*c);
  EXPECT_EQ(s.at(kAllTime), 31) << "the next walk found the late sign-up";
  EXPECT_EQ(count_prefix(s, "coinw_invitee_registration_timestamp_seconds{"), 31u);
  EXPECT_TRUE(
      s.count("coinw_invitee_registration_timestamp_seconds{account=\"main\",uid=\"" + std::to_string(late) + "\"}"));
}

TEST_F(Funnel, ARangeRefusedAsTooLongIsWalkedMonthByMonth) {
  sim_.list_max_range_days(40);
  auto c = make({WindowKind::month});
  refresh(*c);
  auto s = scrape(*c);
  EXPECT_EQ(s.at(kAllTime), 30) << "every sign-up, in spite of the refusal";
  const auto sent = lists();
  ASSERT_GT(sent.size(), 100u) << "one range a month since 2017";
  for (size_t i = 1; i < sent.size(); ++i) {
    const int64_t from = parse_coinw_time(*sim::find_param(sent[i].query, "startTime"), kOffset).value();
    const int64_t to = parse_coinw_time(*sim::find_param(sent[i].query, "endTime"), kOffset).value();
    EXPECT_LE(to - from, 31 * 86400) << i;
  }
  EXPECT_EQ(s.at("coinw_collector_success{account=\"main\",collector=\"invitee_registrations\"}"), 1)
      << "a refusal it could work around is no failure of the collector";
  clock_.advance(config::RegistrationsConfig{}.min_refresh_interval);
  refresh(*c);
  EXPECT_LE(lists().size(), sent.size() + 2) << "afterwards only the days since the last walk";
}

TEST_F(Funnel, AVolumeRangeRefusedAsTooLongIsAskedInShorterRuns) {
  sim_.volume_max_range_days(10);
  auto c = make({WindowKind::previous_month});
  const auto total = windowed("coinw_invitees_window_trade_volume", "previous_month");
  // One run of closed days per refresh: the month takes five, of 7 days at most.
  for (int i = 0; i < 10 && !scrape(*c).count(total); ++i) {
    clock_.advance(1s);
    refresh(*c);
  }
  const auto s = scrape(*c);
  ASSERT_TRUE(s.count(total));
  EXPECT_DOUBLE_EQ(s.at(total), volume(day("2026-11-01"), day("2026-11-30"))) << "every day, in spite of the refusals";
  EXPECT_EQ(s.at("coinw_collector_success{account=\"main\",collector=\"invitee_trade_volume\"}"), 1)
      << "a refusal it could work around is no failure of the collector";
  const auto sent = volumes();
  ASSERT_GE(sent.size(), 5u);
  std::vector<int32_t> lengths;
  for (const auto& r : sent) lengths.push_back(days_of(r).second - days_of(r).first + 1);
  EXPECT_EQ(lengths[0], 30);
  EXPECT_EQ(lengths[1], 15) << "halved after the refusal";
  EXPECT_EQ(lengths[2], 7) << "and again";
  for (size_t i = 2; i < lengths.size(); ++i) EXPECT_LE(lengths[i], 7) << i;
  clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
  refresh(*c);
  EXPECT_EQ(volumes().size(), sent.size()) << "the closed days are final (and no window needs today)";
}

TEST_F(Funnel, FirstDepositsAndTheCohortConversionComeFromTheAssetRows) {
  const int64_t deposited = data_.add_signup(unix_local("2026-12-01 08:00:00"));
  data_.add_signup(unix_local("2026-12-01 09:00:00"));  // signed up, never deposited
  ASSERT_TRUE(data_.add_movement(sim::Quote::usdt, deposited, {unix_local("2026-12-01 09:30:00"), true, 5 * kUnit}));
  auto c = make({WindowKind::month, WindowKind::previous_month}, true);
  refresh(*c);
  auto s = scrape(*c);
  // The truth: each uid's first deposit.
  std::map<int64_t, int64_t> first;
  for (const auto& inv : data_.invitees(sim::Quote::usdt))  // the one quote configured
    if (const auto* m = inv.first_deposit()) first[inv.uid] = m->time;
  auto firsts_in = [&](const char* from, const char* to) {
    double n = 0;
    for (const auto& [uid, t] : first) n += unix_local(from) <= t && t <= unix_local(to);
    return n;
  };
  EXPECT_EQ(s.at(windowed("coinw_invitees_window_first_deposits", "month")),
            firsts_in("2026-12-01 00:00:00", "2026-12-31 23:59:59"));
  EXPECT_EQ(s.at(windowed("coinw_invitees_window_first_deposits", "previous_month")),
            firsts_in("2026-11-01 00:00:00", "2026-11-30 23:59:59"));
  EXPECT_GE(firsts_in("2026-12-01 00:00:00", "2026-12-31 23:59:59"), 1) << "the new invitee's at least";
  EXPECT_EQ(s.at(windowed("coinw_invitees_registered", "month")), 2);
  EXPECT_EQ(s.at(windowed("coinw_invitees_window_registered_depositors", "month")), 1);
  EXPECT_EQ(s.at(windowed("coinw_invitees_registered", "previous_month")), 0);
}

TEST_F(Funnel, EveryWindowsVolumeIsTheSumOfItsDays) {
  auto c = make({WindowKind::today, WindowKind::month, WindowKind::previous_month});
  refresh(*c);
  const auto s = scrape(*c);
  const int32_t today = day("2026-12-01");
  EXPECT_DOUBLE_EQ(s.at(windowed("coinw_invitees_window_trade_volume", "today")), volume(today, today));
  EXPECT_DOUBLE_EQ(s.at(windowed("coinw_invitees_window_trade_volume", "month")), volume(today, today));
  EXPECT_DOUBLE_EQ(s.at(windowed("coinw_invitees_window_trade_volume", "previous_month")),
                   volume(day("2026-11-01"), day("2026-11-30")));
  EXPECT_EQ(s.at(windowed("coinw_invitees_window_traders", "previous_month")),
            static_cast<double>(traders(day("2026-11-01"), day("2026-11-30"))));
  EXPECT_GT(volume(day("2026-11-01"), day("2026-11-30")), 0) << "the dataset trades";
  // One invitee's figure: the sum of its days.
  const auto& [key, units] = *data_.volumes().lower_bound({day("2026-11-01"), 0});
  int64_t own = 0;
  for (const auto& [k, v] : data_.volumes())
    if (k.second == key.second && k.first >= day("2026-11-01") && k.first <= day("2026-11-30")) own += v;
  EXPECT_DOUBLE_EQ(s.at("coinw_invitee_window_trade_volume{account=\"main\",window=\"previous_month\",uid=\"" +
                        std::to_string(key.second) + "\"}"),
                   static_cast<double>(own) / kUnit);
}

TEST_F(Funnel, AClosedDayIsFetchedOnceAndTheOpenDayAtItsInterval) {
  auto c = make({WindowKind::today, WindowKind::previous_month});
  refresh(*c);
  const int32_t today = day("2026-12-01");
  const size_t first = volumes().size();
  for (const auto& r : volumes()) {
    const auto [from, to] = days_of(r);
    EXPECT_LE(to - from + 1, 30) << "a closed run is at most 30 days";
    EXPECT_TRUE(to < today || from == today) << "open and closed days are never mixed";
  }
  clock_.advance(2min);
  refresh(*c);
  EXPECT_EQ(volumes().size(), first) << "nothing is due before the interval";
  data_.book_trade(data_.signups().front().uid, today, 42 * kUnit);
  clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
  refresh(*c);
  const auto sent = volumes();
  ASSERT_GT(sent.size(), first);
  for (size_t i = first; i < sent.size(); ++i) EXPECT_EQ(days_of(sent[i]), std::pair(today, today));
  EXPECT_DOUBLE_EQ(scrape(*c).at(windowed("coinw_invitees_window_trade_volume", "today")), volume(today, today));
  const auto s = scrape(*c);
  EXPECT_EQ(s.at("coinw_invitee_pass_requests_total{account=\"main\",pass=\"closed_days\"}") +
                s.at("coinw_invitee_pass_requests_total{account=\"main\",pass=\"open_day\"}"),
            static_cast<double>(sent.size()));
}

TEST_F(Funnel, MidnightInANonUtcZoneClosesTheDayAndFetchesItOnceAfterTheGrace) {
  clock_.set_wall(local("2026-12-01 23:58:00"));
  auto c = make({WindowKind::today, WindowKind::month});
  refresh(*c);
  const int64_t uid = data_.signups().front().uid;
  data_.book_trade(uid, day("2026-12-01"), 10 * kUnit);  // late on the 1st
  clock_.set_wall(local("2026-12-02 00:02:00"));         // 16:02 UTC: a new day only in +08:00
  clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
  data_.book_trade(uid, day("2026-12-02"), 3 * kUnit);
  refresh(*c);
  auto s = scrape(*c);
  EXPECT_DOUBLE_EQ(s.at(windowed("coinw_invitees_window_trade_volume", "today")), 3);
  EXPECT_DOUBLE_EQ(s.at(windowed("coinw_invitees_window_trade_volume", "month")),
                   volume(day("2026-12-01"), day("2026-12-02")));
  auto sent = volumes();
  EXPECT_EQ(days_of(sent.back()), std::pair(day("2026-12-01"), day("2026-12-02")))
      << "yesterday is open within the grace";
  clock_.set_wall(local("2026-12-02 01:03:00"));  // past the hour of grace
  clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
  const size_t before = volumes().size();
  refresh(*c);
  auto closed = [&] {
    size_t n = 0;
    for (size_t i = before; i < volumes().size(); ++i)
      n += days_of(volumes()[i]).first == day("2026-12-01") && nlohmann::json::parse(volumes()[i].body)["pageNo"] == 1;
    return n;  // walks, each from page 1
  };
  EXPECT_EQ(closed(), 1u) << "the 1st, fetched once for good";
  for (int i = 0; i < 3; ++i) {
    clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
    refresh(*c);
  }
  EXPECT_EQ(closed(), 1u) << "and never again";
  EXPECT_EQ(days_of(volumes().back()), std::pair(day("2026-12-02"), day("2026-12-02")));
}

TEST_F(Funnel, AnEmptyAnswerForClosedDaysIsNotKeptForGood) {
  auto c = make({WindowKind::today, WindowKind::yesterday});
  clock_.set_wall(local("2026-12-01 00:30:00"));  // yesterday still open
  data_.book_trade(data_.signups().front().uid, day("2026-11-30"), 9 * kUnit);
  refresh(*c);
  const double before = scrape(*c).at(windowed("coinw_invitees_window_trade_volume", "yesterday"));
  EXPECT_DOUBLE_EQ(before, volume(day("2026-11-30"), day("2026-11-30")));
  clock_.set_wall(local("2026-12-01 02:00:00"));
  clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
  sim_.empty_answers(2);  // the open day's walk, then the closed day's one fetch: glitches
  refresh(*c);
  EXPECT_DOUBLE_EQ(scrape(*c).at(windowed("coinw_invitees_window_trade_volume", "yesterday")), before)
      << "an empty answer erases nothing";
  const size_t n = volumes().size();
  clock_.advance(config::TradeVolumeConfig{}.open_day_refresh_interval);
  refresh(*c);
  size_t asked = 0;
  for (size_t i = n; i < volumes().size(); ++i) asked += days_of(volumes()[i]).first == day("2026-11-30");
  EXPECT_EQ(asked, 1u) << "asked again, once";
}

// Priority: sign-ups (cheap) before the cumulative walk, the open day after
// the open windows, closed days last; one 5/s for the three endpoints.
TEST_F(Funnel, TheFunnelTakesItsPlaceUnderTheOneLimit) {
  auto c = make({WindowKind::today, WindowKind::previous_month}, true);
  refresh(*c);
  const auto assets = sim_.invitee_requests();
  ASSERT_FALSE(assets.empty());
  ASSERT_FALSE(lists().empty());
  EXPECT_LE(lists().back().at, assets.front().at) << "the sign-up walk went first";
  TimePoint open_day{}, closed{};
  for (const auto& r : volumes()) {
    if (days_of(r).first == day("2026-12-01") && open_day == TimePoint{}) open_day = r.at;
    if (days_of(r).first < day("2026-12-01") && closed == TimePoint{}) closed = r.at;
  }
  TimePoint window_today{};
  for (const auto& r : assets)
    if (r.param("startTime") && *r.param("startTime") == "2026-12-01 00:00:00") window_today = r.at;
  EXPECT_GE(open_day, window_today) << "after the open window";
  EXPECT_GE(closed, open_day) << "closed days last";
  std::vector<TimePoint> all;
  for (const auto& r : assets) all.push_back(r.at);
  for (const auto& r : lists()) all.push_back(r.at);
  for (const auto& r : volumes()) all.push_back(r.at);
  std::sort(all.begin(), all.end());
  for (size_t i = facts::kInviteeAssetsPerSecond; i < all.size(); ++i)
    EXPECT_GE(all[i] - all[i - facts::kInviteeAssetsPerSecond], 1s) << "five per second for the three, at " << i;
}

TEST_F(Funnel, FinalDaysAndSignUpsSurviveARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("coinw-funnel-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = std::make_shared<StateDir>(dir);
  {
    auto c = make({WindowKind::previous_month, WindowKind::today});
    c->use_state(store);
    refresh(*c);
    store->flush();
  }
  sim_.clear();
  auto c = make({WindowKind::previous_month, WindowKind::today});
  c->use_state(store);
  c->restore_state(settings_.staleness_limit);
  auto s = scrape(*c);
  EXPECT_DOUBLE_EQ(s.at(windowed("coinw_invitees_window_trade_volume", "previous_month")),
                   volume(day("2026-11-01"), day("2026-11-30")));
  EXPECT_EQ(s.at(kAllTime), 30);
  refresh(*c);
  for (const auto& r : volumes()) EXPECT_EQ(days_of(r), std::pair(day("2026-12-01"), day("2026-12-01")));
  ASSERT_EQ(lists().size(), 1u) << "sign-ups since the last walk only";
  EXPECT_EQ(*sim::find_param(lists()[0].query, "startTime"), "2026-11-30 10:00:00");
  c.reset();
  store->flush();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coinw::collect
