// One account's collection in virtual time: the fake clock moves only when the
// rate limiter sleeps or a test advances it, and CoinW sits behind the
// transport seam. No real sleeps; every time asserted is virtual.
#include "collect/account.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/exposition.h"
#include "support/fake_clock.h"
#include "support/fake_coinw.h"

namespace coinw::collect {
namespace {

using namespace std::chrono_literals;
using testing::parse_exposition;

const std::string kQuote = "{account=\"main\",quote=\"usdt\"}";

class CollectAccount : public ::testing::Test {
 protected:
  std::unique_ptr<AccountCollector> make(int page_size, bool sub_accounts = true) {
    config::AccountConfig a;
    a.name = "main";
    a.api_key = "AK-0123456789";
    a.secret_key = "SK-0123456789";
    a.invitee_assets.page_size = page_size;
    a.sub_accounts.enabled = sub_accounts;
    a.sub_accounts.api_keys.enabled = false;  // sub_account_keys_funds_test.cpp counts its requests
    auto settings = derive_client_settings(config::GlobalConfig{}, a);
    return std::make_unique<AccountCollector>(a, settings, gate_, clock_, [this] { return coinw_.transport(); });
  }
  testing::Series scrape(const AccountCollector& c) const {
    exposition::FamilySet out;
    c.collect_data(out, c.data_key(settings_));
    c.collect_health(out);
    return parse_exposition(out.render());
  }
  std::vector<testing::Sent> invitee_requests() const { return coinw_.sent_to(facts::kInviteeAssetsPath); }

  testing::FakeClock clock_;
  ratelimit::RateGate gate_{clock_};
  testing::FakeCoinw coinw_{clock_, 12, 3};
  ExposeSettings settings_{config::NickNamePolicy::masked, std::chrono::minutes(5)};
};

TEST_F(CollectAccount, APassKeepsToTheDocumentedLimit) {
  auto c = make(2);
  const TimePoint t0 = clock_.now();
  c->refresh(t0 + 1h, settings_);
  auto sent = invitee_requests();
  // Six full pages; only a short (here empty) page ends a pass, whatever total says.
  ASSERT_EQ(sent.size(), 7u);
  for (size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(sent[i].page_no, static_cast<int>(i) + 1);
  // Five per second, answered at once: the sixth waits a window and the margin.
  for (size_t i = facts::kInviteeAssetsPerSecond; i < sent.size(); ++i)
    EXPECT_GE(sent[i].at - sent[i - facts::kInviteeAssetsPerSecond].at, 1s + 20ms);
  EXPECT_EQ(sent[4].at, t0);
  auto s = scrape(*c);
  double deposits = 0;
  for (int uid = 1000; uid < 1012; ++uid) deposits += testing::FakeCoinw::deposit_of(uid);
  EXPECT_EQ(s["coinw_invitees_deposits" + kQuote], deposits);
  EXPECT_EQ(s["coinw_invitees" + kQuote], 12);
  EXPECT_EQ(testing::count_prefix(s, "coinw_invitee_total_deposit{"), 12u);
  EXPECT_EQ(s["coinw_invitee_total_deposit{account=\"main\",quote=\"usdt\",uid=\"1003\"}"], 10030);
  EXPECT_EQ(s["coinw_sub_accounts{account=\"main\"}"], 3);
  EXPECT_EQ(s["coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"], 1);
}

TEST_F(CollectAccount, AScrapeServesWhatIsReadyAndThePassGoesOnAfterIt) {
  auto c = make(2, false);
  coinw_.hold_after(5);  // the sixth page waits, as a slow CoinW's would
  c->refresh(clock_.now() + 500ms, settings_);
  auto s = scrape(*c);
  EXPECT_EQ(testing::count_prefix(s, "coinw_invitee_total_deposit{"), 10u) << "the answer carries the pages so far";
  EXPECT_EQ(s["coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"], 1);
  EXPECT_EQ(s.count("coinw_invitees{account=\"main\",quote=\"usdt\"}"), 0u) << "no sums of a half-walked list";
  coinw_.release();
  // No other scrape: the refresh the first one started fetches the rest.
  ASSERT_TRUE(coinw_.wait_for_requests(7)) << "the sixth page, and the empty seventh that ends the pass";
  clock_.advance(600ms);
  c->refresh(clock_.now() + 1h, settings_);
  auto sent = invitee_requests();
  ASSERT_EQ(sent.size(), 7u) << "and the next scrape asks for nothing more";
  EXPECT_EQ(sent[5].page_no, 6) << "not a restart from page 1";
  EXPECT_EQ(testing::count_prefix(scrape(*c), "coinw_invitee_total_deposit{"), 12u);
}

TEST_F(CollectAccount, ANewPassWaitsForTheMinimumInterval) {
  auto c = make(6);
  c->refresh(clock_.now() + 1h, settings_);
  const size_t after_first = coinw_.sent().size();
  EXPECT_EQ(after_first, 4u);  // two full invitee pages, the empty third, one sub-account list
  clock_.advance(10s);
  c->refresh(clock_.now() + 1h, settings_);
  EXPECT_EQ(coinw_.sent().size(), after_first) << "both collectors are fresh enough";
  clock_.advance(config::InviteeAssetsConfig{}.min_refresh_interval);
  c->refresh(clock_.now() + 1h, settings_);
  auto sent = invitee_requests();
  ASSERT_EQ(sent.size(), 6u);
  EXPECT_EQ(sent[3].page_no, 1) << "a new pass";
  EXPECT_EQ(coinw_.sent_to(facts::kPrivateSpotPath).size(), 2u);
}

TEST_F(CollectAccount, FailuresKeepDataUntilTheStalenessLimit) {
  auto c = make(6);
  c->refresh(clock_.now() + 1h, settings_);
  coinw_.fail_with_http(500);
  clock_.advance(2min);
  c->refresh(clock_.now() + 1h, settings_);
  auto s = scrape(*c);
  EXPECT_EQ(s["coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"], 0);
  EXPECT_EQ(s["coinw_collector_success{account=\"main\",collector=\"sub_accounts\"}"], 0);
  EXPECT_EQ(testing::count_prefix(s, "coinw_invitee_total_deposit{"), 12u) << "cached values stay";
  EXPECT_EQ(s["coinw_sub_accounts{account=\"main\"}"], 3);
  clock_.advance(settings_.staleness_limit);
  c->refresh(clock_.now() + 1h, settings_);
  s = scrape(*c);
  EXPECT_EQ(testing::count_prefix(s, "coinw_invitee_total_deposit{"), 0u);
  EXPECT_EQ(s.count("coinw_sub_accounts{account=\"main\"}"), 0u);
  EXPECT_EQ(s.count("coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"), 1u)
      << "health stays visible";
}

// Single flight: a scrape that arrives during another's refresh waits for it,
// in virtual time, and never past its own deadline.
TEST_F(CollectAccount, AConcurrentScrapeWaitsOnlyUntilItsDeadline) {
  auto c = make(12, false);
  coinw_.hold();
  std::thread first([&] { c->refresh(clock_.now() + 1h, settings_); });
  coinw_.wait_for_held();
  const TimePoint deadline = clock_.now() + 2s;
  std::thread second([&] { c->refresh(deadline, settings_); });
  clock_.advance(3s);  // past the second scrape's deadline
  second.join();
  EXPECT_EQ(coinw_.sent().size(), 1u) << "the second scrape sent nothing";
  std::thread third([&] { c->refresh(clock_.now() + 1h, settings_); });
  coinw_.release();
  first.join();
  third.join();
  EXPECT_EQ(coinw_.sent().size(), 2u)
      << "the third scrape served the first one's refresh (a full page and the empty one)";
  EXPECT_EQ(testing::count_prefix(scrape(*c), "coinw_invitee_total_deposit{"), 12u);
}

// The background refresh: it uses the whole rate between scrapes, and is quiet
// when nobody scrapes.
class BackgroundRefresh : public ::testing::Test {
 protected:
  // 1000 invitees: with 400 a page, three requests a pass (the last one short).
  std::unique_ptr<AccountCollector> make(int page_size = 400, bool window = false) {
    config::AccountConfig a;
    if (window) a.invitee_assets.windows = {{"today", config::WindowKind::today, 0, 0}};
    a.name = "main";
    a.api_key = "AK-0123456789";
    a.secret_key = "SK-0123456789";
    a.invitee_assets.page_size = page_size;
    a.sub_accounts.enabled = false;
    return std::make_unique<AccountCollector>(a, derive_client_settings(config::GlobalConfig{}, a), gate_, clock_,
                                              [this] { return coinw_.transport(); });
  }
  // Moves virtual time in steps, giving the lane (which waits in real time for
  // time to move) a moment to look after each.
  void pass_time(Duration total, Duration step = 1s) {
    for (Duration t{}; t < total; t += step) {
      clock_.advance(step);
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  }
  size_t sent() const { return coinw_.sent().size(); }

  testing::FakeClock clock_;
  ratelimit::RateGate gate_{clock_};
  testing::FakeCoinw coinw_{clock_, 1000, 0};
  ExposeSettings settings_{config::NickNamePolicy::masked, std::chrono::minutes(5)};
};

TEST_F(BackgroundRefresh, APassStartsWhenDueBetweenScrapesWhileScrapesCome) {
  auto c = make();
  c->refresh(clock_.now() + 10s, settings_);
  ASSERT_EQ(sent(), 3u);
  pass_time(30s);
  c->refresh(clock_.now() + 10s, settings_);  // nothing due yet
  ASSERT_EQ(sent(), 3u);
  pass_time(31s);  // no scrape: the cumulative list is due again 60 s after its pass
  ASSERT_TRUE(coinw_.wait_for_requests(6)) << "the second pass ran between scrapes";
  EXPECT_EQ(coinw_.sent()[3].page_no, 1);
}

TEST_F(BackgroundRefresh, AfterTheLastScrapeRequestsStopOnceTheStartedPassCompletes) {
  // Eleven requests a pass, the cumulative one and the window's; the window
  // (5 min) keeps the lane awake longer than the cumulative interval (1 min).
  auto c = make(100, true);
  // The sixth waits for the limiter, past the scrape's deadline, and then for
  // the test: the scrape is answered mid-pass.
  coinw_.hold_after(5);
  c->refresh(clock_.now() + 100ms, settings_);
  coinw_.release();
  ASSERT_TRUE(coinw_.wait_for_requests(22)) << "the passes the scrape started complete without another scrape";
  pass_time(10min, 5s);
  EXPECT_EQ(sent(), 22u) << "nobody scrapes: no new pass starts, within its interval or after";
}

TEST_F(BackgroundRefresh, ShutdownCancelsWithinOneRequest) {
  auto c = make(10);  // a hundred requests a pass
  coinw_.hold_after(20);
  c->refresh(clock_.now() + 100ms, settings_);
  ASSERT_TRUE(coinw_.wait_for_requests(21)) << "the 21st request is in flight";
  std::thread stopping([&] { c->stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  coinw_.release();
  stopping.join();
  EXPECT_EQ(sent(), 21u) << "the request in flight is the last one";
  c->refresh(clock_.now() + 10s, settings_);
  EXPECT_EQ(sent(), 21u) << "a stopped account refreshes no more";
}

}  // namespace
}  // namespace coinw::collect
