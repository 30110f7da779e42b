// Issue 9 through the whole exporter: an imperfect CoinW (skewed or string
// counts, rows moving between pages, a sudden empty answer, format drift, bad
// text, success:false, frozenFlag 2) against what a scrape exposes. The rule
// each test checks: the right values, nothing lost, no false zero, and the
// series the alerts need present.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "exporter/exporter.h"
#include "sim/simulator.h"
#include "support/exposition.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using testing::count_prefix;
using testing::parse_exposition;
using testing::Series;

constexpr auto kInterval = 400ms;  // min_refresh_interval of both collectors

class Integrity : public ::testing::Test {
 protected:
  void serve(sim::Options o, std::vector<std::string> quotes = {"usdt"}) {
    sim_ = std::make_unique<sim::Simulator>(std::move(o));
    sim_->start();
    config::Config c;
    config::AccountConfig a;
    a.name = "demo";
    a.base_url = sim_->url();
    a.api_key = "demo-key";
    a.secret_key = "demo-secret";
    a.invitee_assets.quotes = std::move(quotes);
    a.invitee_assets.min_refresh_interval = kInterval;
    a.sub_accounts.min_refresh_interval = kInterval;
    c.accounts = {a};
    exp_.apply(c);
  }
  Series scrape() {
    auto res = exp_.metrics({});
    EXPECT_EQ(res.status, 200);
    return parse_exposition(res.joined());
  }
  // Waits out min_refresh_interval, then scrapes until the pass that starts completes.
  Series next_pass() {
    std::this_thread::sleep_for(kInterval + 50ms);
    Series s = scrape();
    for (int i = 0; i < 20 && s.at(progress()) != 1; ++i) s = scrape();
    return s;
  }
  void drift(const sim::Drift& d) { sim_->set_drift(d); }
  std::set<uint64_t> sim_uids(const char* quote = "usdt") {
    std::set<uint64_t> out;
    const auto data = sim_->dataset_json();
    for (const auto& r : data["invitees"][quote]) out.insert(r["uid"].get<uint64_t>());
    return out;
  }
  static std::set<uint64_t> exposed_uids(const Series& s) {
    std::set<uint64_t> out;
    const std::string prefix = "coinw_invitee_current_balance{account=\"demo\",quote=\"usdt\",uid=\"";
    for (auto it = s.lower_bound(prefix); it != s.end() && it->first.rfind(prefix, 0) == 0; ++it)
      out.insert(std::stoull(it->first.substr(prefix.size())));
    return out;
  }
  uint64_t invitee_requests() { return sim_->counters().invitee_assets.requests; }

  static std::string q(const char* name) { return std::string(name) + "{account=\"demo\",quote=\"usdt\"}"; }
  static std::string progress() { return q("coinw_invitee_refresh_progress_ratio"); }
  static std::string success(const char* collector) {
    return std::string("coinw_collector_success{account=\"demo\",collector=\"") + collector + "\"}";
  }
  static std::string failures(const char* endpoint, const char* reason) {
    return std::string("coinw_api_failures_total{account=\"demo\",endpoint=\"") + endpoint + "\",reason=\"" + reason +
           "\"}";
  }
  static std::string invalid_field(const char* endpoint, const char* field) {
    return std::string("coinw_api_invalid_fields_total{account=\"demo\",endpoint=\"") + endpoint + "\",field=\"" +
           field + "\"}";
  }

  std::unique_ptr<sim::Simulator> sim_;
  exporter::Exporter exp_{SystemClock::instance()};
};

// Before, a count 3 too high shrank the page size pass after pass and a count
// 3 too low erased the rows it did not reach.
TEST_F(Integrity, SkewedTotalCostsNoExtraPagesAndLosesNothing) {
  for (int skew : {+3, -3}) {
    sim::Options o;
    o.invitees = 250;  // 3 pages of 100
    o.sub_accounts = 0;
    o.drift.total_skew = skew;
    serve(o);
    for (int pass = 0; pass < 3; ++pass) {
      const uint64_t before = invitee_requests();
      Series s = pass ? next_pass() : scrape();
      EXPECT_EQ(invitee_requests() - before, 3u) << "skew " << skew << " pass " << pass;
      EXPECT_EQ(exposed_uids(s), sim_uids()) << "skew " << skew;
      EXPECT_EQ(s.at(q("coinw_invitees")), 250);
      EXPECT_EQ(s.at(q("coinw_invitees_reported")), 250 + skew);
      EXPECT_EQ(s.at(success("invitee_assets")), 1);
    }
    std::printf("[figure] 250 invitees, 3 pages of 100, total skewed %+d: %d requests per pass\n", skew, 3);
  }
}

TEST_F(Integrity, TotalAsAStringOfDigits) {
  sim::Options o;
  o.invitees = 120;
  o.sub_accounts = 0;
  o.drift.total_as_string = true;
  serve(o);
  Series s = scrape();
  EXPECT_EQ(s.at(success("invitee_assets")), 1);
  EXPECT_EQ(s.at(q("coinw_invitees_reported")), 120);
  EXPECT_EQ(exposed_uids(s), sim_uids());
}

TEST_F(Integrity, RowsMovingBetweenPagesAreNeitherLostNorInvented) {
  sim::Options o;
  o.invitees = 450;  // 5 pages
  o.sub_accounts = 0;
  serve(o);
  Series s = scrape();
  const auto original = sim_uids();
  ASSERT_EQ(exposed_uids(s), original);

  // One invitee leaves at the front after every page: each later page starts
  // one row further on, so a row is skipped at every page boundary.
  sim::Drift d;
  d.remove_per_page = 1;
  drift(d);
  std::set<uint64_t> left = original;
  for (int pass = 0; pass < 2; ++pass) {
    s = next_pass();
    const auto now = sim_uids();
    for (uint64_t uid : now) EXPECT_TRUE(exposed_uids(s).count(uid)) << "lost " << uid << " in pass " << pass;
  }
  d.remove_per_page = 0;
  d.insert_per_page = 1;  // and now they join at the front: rows come twice
  drift(d);
  s = next_pass();
  for (uint64_t uid : sim_uids()) {
    if (original.count(uid)) {  // those that joined during this pass may come next pass
      EXPECT_TRUE(exposed_uids(s).count(uid)) << "lost " << uid;
    }
  }
  EXPECT_GT(s.at(q("coinw_invitees_removed_total")), 0) << "invitees that left are removed";

  // Once churn stops, two passes bring the cache exactly to CoinW's list.
  drift({});
  int passes = 0;
  for (; passes < 5 && exposed_uids(s) != sim_uids(); ++passes) s = next_pass();
  std::printf("[figure] passes until convergence after churn stopped: %d\n", passes);
  EXPECT_LE(passes, 2);
  EXPECT_EQ(exposed_uids(s), sim_uids());
  EXPECT_EQ(s.at(q("coinw_invitees")), static_cast<double>(sim_uids().size()));
}

TEST_F(Integrity, OneEmptyAnswerWipesNothing) {
  sim::Options o;
  o.invitees = 250;
  o.sub_accounts = 0;
  serve(o);
  Series before = scrape();
  ASSERT_EQ(before.at(q("coinw_invitees")), 250);

  sim::Drift d;
  d.empty_answers = 1;
  drift(d);
  Series s = next_pass();
  EXPECT_EQ(s.at(success("invitee_assets")), 1);
  EXPECT_EQ(exposed_uids(s), sim_uids()) << "the empty pass is held back";
  for (const char* sum : {"coinw_invitees", "coinw_invitees_deposits", "coinw_invitees_balance"})
    EXPECT_EQ(s.at(q(sum)), before.at(q(sum))) << sum << ": no false zero";
  EXPECT_EQ(s.at(q("coinw_invitees_removed_total")), 0);

  s = next_pass();  // CoinW answers normally again: nothing was ever lost
  EXPECT_EQ(exposed_uids(s), sim_uids());
  EXPECT_EQ(s.at(q("coinw_invitees")), 250);
}

TEST_F(Integrity, FormatDriftFailsTheRefreshAndKeepsTheLastGoodValues) {
  sim::Options o;
  o.invitees = 150;
  o.sub_accounts = 0;
  serve(o);
  Series good = scrape();
  ASSERT_EQ(good.at(success("invitee_assets")), 1);
  EXPECT_EQ(good.at(invalid_field("invitee_assets", "updateTime")), 0) << "every field's series from the start";
  EXPECT_EQ(good.at(failures("invitee_assets", "unexpected_format")), 0);

  sim::Drift d;
  d.formats_after = 0;  // times as epoch ms, amounts as ""
  drift(d);
  std::this_thread::sleep_for(kInterval + 50ms);
  Series s = scrape();
  EXPECT_EQ(s.at(success("invitee_assets")), 0);
  EXPECT_GT(s.at(failures("invitee_assets", "unexpected_format")), 0);
  EXPECT_GT(s.at(invalid_field("invitee_assets", "updateTime")), 0);
  EXPECT_GT(s.at(invalid_field("invitee_assets", "totalDeposit")), 0);
  EXPECT_EQ(s.at(invalid_field("invitee_assets", "currentBalance")), 0);
  for (const char* sum : {"coinw_invitees", "coinw_invitees_deposits", "coinw_invitees_balance"})
    EXPECT_EQ(s.at(q(sum)), good.at(q(sum))) << sum << ": the last good values stay";
  EXPECT_EQ(exposed_uids(s), sim_uids());
}

TEST_F(Integrity, BadTextInNicknamesHidesNoSubAccount) {
  sim::Options o;
  o.invitees = 0;
  o.sub_accounts = 6;
  o.drift.bad_nick_names = true;
  serve(o);
  Series s = scrape();
  EXPECT_EQ(s.at(success("sub_accounts")), 1);
  EXPECT_EQ(s.at("coinw_sub_accounts{account=\"demo\"}"), 6);
  EXPECT_EQ(count_prefix(s, "coinw_sub_account_frozen{"), 6u);
  EXPECT_EQ(s.at("coinw_api_text_repairs_total{account=\"demo\",endpoint=\"sub_account_list\"}"), 4);
}

TEST_F(Integrity, SpotSuccessFalseIsAFailureAndKeepsTheLastGoodValues) {
  sim::Options o;
  o.invitees = 0;
  serve(o);
  ASSERT_EQ(scrape().at("coinw_sub_accounts{account=\"demo\"}"), 12);
  sim::Drift d;
  d.spot_success_false = true;
  drift(d);
  std::this_thread::sleep_for(kInterval + 50ms);
  Series s = scrape();
  EXPECT_EQ(s.at(success("sub_accounts")), 0);
  EXPECT_EQ(s.at(failures("sub_account_list", "api_error")), 1);
  EXPECT_EQ(s.at("coinw_sub_accounts{account=\"demo\"}"), 12);
}

TEST_F(Integrity, FrozenFlagTwoCountsAsFrozenAndIsCounted) {
  sim::Options o;
  o.invitees = 0;
  o.drift.frozen_flag_two = true;
  serve(o);
  Series s = scrape();
  EXPECT_EQ(s.at(success("sub_accounts")), 1);
  size_t frozen = 0;
  const auto data = sim_->dataset_json();
  for (const auto& sub : data["subAccounts"]) {
    const std::string l = "{account=\"demo\",uid=\"" + std::to_string(sub["spotUid"].get<uint64_t>()) + "\"}";
    ASSERT_TRUE(s.count("coinw_sub_account_frozen" + l)) << "never dropped: " << l;
    EXPECT_EQ(s.at("coinw_sub_account_frozen" + l), sub["frozenFlag"].get<int>()) << l;
    frozen += sub["frozenFlag"].get<int>();
  }
  ASSERT_GT(frozen, 0u);
  EXPECT_EQ(s.at(invalid_field("sub_account_list", "frozenFlag")), static_cast<double>(frozen));
}

}  // namespace
}  // namespace coinw
