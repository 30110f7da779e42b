// Cardinality controls, the /probe endpoint and scrapers that share refreshes.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "api/parse.h"
#include "exporter/exporter.h"
#include "sim/simulator.h"
#include "support/exposition.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using testing::count_prefix;
using testing::parse_exposition;

class ScaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::Options o;
    o.invitees = 60;
    sim_ = std::make_unique<sim::Simulator>(o);
    sim_->start();
  }
  config::AccountConfig account(const std::string& name) const {
    config::AccountConfig a;
    a.name = name;
    a.base_url = sim_->url();
    a.api_key = "demo-key";
    a.secret_key = "demo-secret";
    a.invitee_assets.quotes = {"usdt"};
    return a;
  }
  testing::Series scrape_with(config::InviteeAssetsConfig invitees) {
    config::Config c;
    c.accounts = {account("demo")};
    invitees.quotes = {"usdt"};
    c.accounts[0].invitee_assets = invitees;
    exp_.apply(c);
    return parse_exposition(exp_.metrics({}).joined());
  }
  // uid -> field, from the simulator's own data.
  std::vector<std::pair<double, uint64_t>> ranked(const char* field) const {
    std::vector<std::pair<double, uint64_t>> out;
    const auto data = sim_->dataset_json();  // the loop below must not outlive it
    for (const auto& row : data["invitees"]["usdt"])
      out.emplace_back(*api::parse_amount(row[field].get<std::string>()), row["uid"].get<uint64_t>());
    std::sort(out.begin(), out.end(),
              [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    return out;
  }
  void expect_aggregates_over_all(const testing::Series& s) {
    double balance = 0, deposits = 0;
    for (auto& [v, uid] : ranked("currentBalance")) balance += v;
    for (auto& [v, uid] : ranked("totalDeposit")) deposits += v;
    EXPECT_NEAR(s.at("coinw_invitees_balance{account=\"demo\",quote=\"usdt\"}"), balance, 1e-6);
    EXPECT_NEAR(s.at("coinw_invitees_deposits{account=\"demo\",quote=\"usdt\"}"), deposits, 1e-6);
    EXPECT_EQ(s.at("coinw_invitees{account=\"demo\",quote=\"usdt\"}"), 60);
    EXPECT_GT(s.at("coinw_invitees_depositors{account=\"demo\",quote=\"usdt\"}"), 0);
  }
  std::string balance_series(uint64_t uid) const {
    return "coinw_invitee_current_balance{account=\"demo\",quote=\"usdt\",uid=\"" + std::to_string(uid) + "\"}";
  }

  std::unique_ptr<sim::Simulator> sim_;
  exporter::Exporter exp_{SystemClock::instance()};
};

TEST_F(ScaleTest, TopKByBalanceExportsOnlyTheLargest) {
  config::InviteeAssetsConfig c;
  c.per_invitee_series = config::PerInviteeSeries::top;
  c.top_k = 5;
  auto s = scrape_with(c);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_current_balance{"), 5u);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_total_deposit{"), 5u);
  auto by_balance = ranked("currentBalance");
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(s.at(balance_series(by_balance[i].second)), by_balance[i].first);
  EXPECT_FALSE(s.count(balance_series(by_balance[5].second)));
  expect_aggregates_over_all(s);
}

TEST_F(ScaleTest, TopKByDeposit) {
  config::InviteeAssetsConfig c;
  c.per_invitee_series = config::PerInviteeSeries::top;
  c.top_k = 3;
  c.top_by = config::TopBy::total_deposit;
  auto s = scrape_with(c);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_total_deposit{"), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(s.count(balance_series(ranked("totalDeposit")[i].second)));
  expect_aggregates_over_all(s);
}

TEST_F(ScaleTest, NoneKeepsOnlyAggregates) {
  config::InviteeAssetsConfig c;
  c.per_invitee_series = config::PerInviteeSeries::none;
  auto s = scrape_with(c);
  EXPECT_EQ(count_prefix(s, "coinw_invitee_") - count_prefix(s, "coinw_invitee_refresh_progress_ratio{") -
                count_prefix(s, "coinw_invitee_pass_"),
            0u)
      << "no per-uid series";
  expect_aggregates_over_all(s);
}

TEST_F(ScaleTest, ProbeServesOneAccount) {
  config::Config c;
  c.accounts = {account("a"), account("b")};
  exp_.apply(c);
  web::ScrapeRequest r;
  r.params["account"] = "b";
  auto res = exp_.probe(r);
  ASSERT_EQ(res.status, 200);
  auto s = parse_exposition(res.joined());
  EXPECT_EQ(count_prefix(s, "coinw_invitees{account=\"b\""), 1u);
  EXPECT_EQ(count_prefix(s, "coinw_invitees{account=\"a\""), 0u);
  EXPECT_EQ(count_prefix(s, "coinw_exporter_build_info"), 0u) << "exporter metrics belong on /metrics";
  web::ScrapeRequest self_only;
  self_only.collect = {"exporter"};
  const auto before = sim_->counters().sub_account_list.requests;
  auto own = parse_exposition(exp_.metrics(self_only).joined());
  EXPECT_EQ(count_prefix(own, "coinw_exporter_build_info"), 1u);
  EXPECT_EQ(count_prefix(own, "coinw_invitees"), 0u);
  EXPECT_EQ(sim_->counters().sub_account_list.requests, before) << "collect[]=exporter must not refresh accounts";
  web::ScrapeRequest unknown;
  unknown.collect = {"exporter", "invitees"};
  auto refused = exp_.metrics(unknown);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("\"invitees\""), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("known values: exporter"), std::string::npos) << refused.body;
  EXPECT_EQ(sim_->counters().sub_account_list.requests, before) << "a refused collect[] must not refresh accounts";
  r.params["account"] = "nobody";
  EXPECT_EQ(exp_.probe(r).status, 404);
  EXPECT_EQ(exp_.probe({}).status, 400);
}

// Two Prometheus servers (an HA pair, or /metrics and /probe) scraping out of
// phase cost CoinW what one does: refreshes are due by data age, not by scrape.
TEST_F(ScaleTest, TwoScrapersCostWhatOneDoes) {
  auto run = [&](int scrapers) {
    sim_->reset_counters();
    exporter::Exporter exp(SystemClock::instance());
    config::Config c;
    c.accounts = {account("demo")};
    c.accounts[0].invitee_assets.enabled = false;
    c.accounts[0].sub_accounts.min_refresh_interval = 1s;
    exp.apply(c);
    std::vector<std::thread> threads;
    for (int i = 0; i < scrapers; ++i) {
      threads.emplace_back([&, i] {
        std::this_thread::sleep_for(i * 110ms);
        web::ScrapeRequest probe;
        probe.params["account"] = "demo";
        for (int n = 0; n < 16; ++n) {
          EXPECT_EQ(i % 2 ? exp.probe(probe).status : exp.metrics({}).status, 200);
          std::this_thread::sleep_for(220ms);
        }
      });
    }
    for (auto& t : threads) t.join();
    return sim_->counters().sub_account_list.requests;
  };
  const auto one = run(1), two = run(2);
  std::printf("sub-account list requests over 3.5 s: one scraper %llu, two scrapers %llu\n",
              static_cast<unsigned long long>(one), static_cast<unsigned long long>(two));
  EXPECT_GE(one, 3u);
  EXPECT_LE(two, one + 1) << "a second scraper must not add refreshes (one of slack for scrape phase)";
}

}  // namespace
}  // namespace coinw
