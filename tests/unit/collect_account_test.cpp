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
    auto settings = derive_client_settings(config::GlobalConfig{}, a);
    return std::make_unique<AccountCollector>(a, settings, gate_, clock_, coinw_.transport());
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

TEST_F(CollectAccount, APassCutByTheBudgetResumesAtTheNextPage) {
  auto c = make(2, false);
  c->refresh(clock_.now() + 500ms, settings_);
  auto sent = invitee_requests();
  ASSERT_EQ(sent.size(), 5u) << "the sixth page does not fit in 500 ms at 5/s";
  auto s = scrape(*c);
  EXPECT_EQ(testing::count_prefix(s, "coinw_invitee_total_deposit{"), 10u) << "rows are served page by page";
  EXPECT_EQ(s["coinw_collector_success{account=\"main\",collector=\"invitee_assets\"}"], 1);
  clock_.advance(600ms);  // the next scrape
  c->refresh(clock_.now() + 1h, settings_);
  sent = invitee_requests();
  ASSERT_EQ(sent.size(), 7u) << "the sixth page, and the empty seventh that ends the pass";
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
  EXPECT_EQ(coinw_.sent().size(), 2u) << "the third scrape served the first one's refresh (a full page and the empty one)";
  EXPECT_EQ(testing::count_prefix(scrape(*c), "coinw_invitee_total_deposit{"), 12u);
}

}  // namespace
}  // namespace coinw::collect
