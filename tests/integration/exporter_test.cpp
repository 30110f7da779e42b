// The exporter against a seeded simulator: what a scrape exposes, how refreshes
// spread over scrapes and are shared between them, and what a reload keeps.
#include "exporter/exporter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "api/parse.h"
#include "collect/labels.h"
#include "common/timefmt.h"
#include "sim/simulator.h"
#include "support/exposition.h"
#include "support/exposition_check.h"
#include "support/gunzip.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using testing::count_prefix;
using testing::parse_exposition;

config::AccountConfig account(const std::string& name, const sim::Simulator& sim,
                              std::vector<std::string> quotes = {"usdt", "usdc"}) {
  config::AccountConfig a;
  a.name = name;
  a.base_url = sim.url();
  a.api_key = "demo-key";
  a.secret_key = "demo-secret";
  a.invitee_assets.quotes = std::move(quotes);
  return a;
}

class ExporterTest : public ::testing::Test {
 protected:
  void start(sim::Options o) {
    sim_ = std::make_unique<sim::Simulator>(std::move(o));
    sim_->start();
  }
  std::string scrape(std::optional<double> timeout = std::nullopt) {
    web::ScrapeRequest r;
    r.timeout_seconds = timeout;
    auto res = exp_.metrics(r);
    EXPECT_EQ(res.status, 200);
    return res.joined();
  }
  // The simulator and one account `demo` on it, both quotes.
  void serve_demo(sim::Options o = {}) {
    start(std::move(o));
    config::Config c;
    c.accounts = {account("demo", *sim_)};
    exp_.apply(c);
  }
  uint64_t invitee_requests() { return sim_->counters().invitee_assets.requests; }
  uint64_t sub_requests() { return sim_->counters().sub_account_list.requests; }

  std::unique_ptr<sim::Simulator> sim_;
  exporter::Exporter exp_{SystemClock::instance()};
};

// Volatile values (times, durations, latencies, clock skew, the build) become placeholders.
std::string normalise(const std::string& text) {
  static const std::regex volatile_line(
      R"(^((process_\w+|coinw_\w+_timestamp_seconds|coinw_exporter_heap_inuse_bytes|coinw_api_clock_skew_seconds|coinw_collector_duration_seconds|coinw_rate_limiter_wait_seconds_total|coinw_api_request_duration_seconds_sum)(\{[^}]*\})?) .*$)");
  static const std::regex bucket(R"(^(coinw_api_request_duration_seconds_bucket\{[^}]*\}) .*$)");
  static const std::regex build(R"((revision|branch|compiler)="[^"]*")");
  std::istringstream in(text);
  std::ostringstream out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("coinw_invitee_balance_update_timestamp_seconds", 0) == 0 ||
        line.rfind("coinw_invitee_first_deposit_timestamp_seconds", 0) == 0) {
      out << line << '\n';  // data from the seeded dataset: deterministic
      continue;
    }
    line = std::regex_replace(line, volatile_line, "$1 <volatile>");
    line = std::regex_replace(line, bucket, "$1 <volatile>");
    out << std::regex_replace(line, build, "$1=\"<$1>\"") << '\n';
  }
  return out.str();
}

TEST_F(ExporterTest, GoldenMetricsForASeededSimulator) {
  sim::Options o;
  o.invitees = 12;
  o.sub_accounts = 6;
  o.now = *parse_coinw_time("2026-06-15 10:00:00", 0);  // recent movements fixed too
  serve_demo(o);
  const std::string got = normalise(scrape());
  const std::string path = std::string(COINW_TEST_DATA) + "/golden/metrics.txt";
  if (std::getenv("COINW_UPDATE_GOLDEN")) {
    std::ofstream(path) << got;
    GTEST_SKIP() << "golden file rewritten: " << path;
  }
  std::ifstream in(path);
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "run with COINW_UPDATE_GOLDEN=1 to accept a deliberate change";
  // The next scrape is served from the rendered cache: the same text, no API call.
  const auto calls = invitee_requests() + sub_requests();
  EXPECT_EQ(normalise(scrape()), want.str());
  EXPECT_EQ(invitee_requests() + sub_requests(), calls);
}

TEST_F(ExporterTest, CachedScrapesAreIdenticalAndGzipDecodesToThem) {
  sim::Options o;
  o.invitees = 150;
  serve_demo(o);
  const std::string first = scrape();
  const auto calls = invitee_requests() + sub_requests();
  web::ScrapeRequest gz;
  gz.gzip = true;
  const auto compressed = exp_.metrics(gz);
  EXPECT_EQ(compressed.content_encoding, "gzip");
  const std::string plain = scrape();
  // Process figures and the heap in use are measured per scrape; every other
  // byte comes from the cache.
  static const std::regex measured(R"((process_\w+|coinw_exporter_heap_inuse_bytes) \S+\n)");
  auto without_heap = [](const std::string& text) { return std::regex_replace(text, measured, ""); };
  EXPECT_EQ(without_heap(plain), without_heap(first)) << "nothing changed between the scrapes, so neither did a byte";
  EXPECT_EQ(without_heap(testing::gunzip(compressed.joined())), without_heap(plain));
  EXPECT_TRUE(testing::check_exposition(plain).ok());
  EXPECT_EQ(invitee_requests() + sub_requests(), calls) << "cached scrapes call no API";
}

TEST_F(ExporterTest, ARefreshChangesTheCachedBody) {
  start({});
  config::Config c;
  c.accounts = {account("demo", *sim_, {"usdt"})};
  c.accounts[0].sub_accounts.min_refresh_interval = 1s;
  exp_.apply(c);
  web::ScrapeRequest gz;
  gz.gzip = true;
  const auto before = parse_exposition(testing::gunzip(exp_.metrics(gz).joined()));
  const auto uid = sim_->dataset_json()["subAccounts"][0]["spotUid"].get<int64_t>();
  const std::string frozen = "coinw_sub_account_frozen{account=\"demo\",uid=\"" + std::to_string(uid) + "\"}";
  ASSERT_EQ(before.at(frozen), 0);
  ASSERT_TRUE(sim_->freeze(uid, true));
  EXPECT_EQ(parse_exposition(testing::gunzip(exp_.metrics(gz).joined())).at(frozen), 0) << "within the interval";
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(parse_exposition(testing::gunzip(exp_.metrics(gz).joined())).at(frozen), 1);
  EXPECT_EQ(parse_exposition(scrape()).at(frozen), 1) << "identity and gzip bodies agree";
}

TEST_F(ExporterTest, EveryValueEqualsTheSimulatorsData) {
  sim::Options o;
  o.invitees = 150;
  serve_demo(o);
  auto series = parse_exposition(scrape());
  auto data = sim_->dataset_json();
  auto amount = [](const nlohmann::json& v) { return *api::parse_amount(v.get<std::string>()); };
  for (const char* quote : {"usdt", "usdc"}) {
    const auto& rows = data["invitees"][quote];
    EXPECT_EQ(series.at(std::string("coinw_invitees{account=\"demo\",quote=\"") + quote + "\"}"), rows.size());
    for (const auto& row : rows) {
      const std::string l = std::string("{account=\"demo\",quote=\"") + quote + "\",uid=\"" +
                            std::to_string(row["uid"].get<uint64_t>()) + "\"}";
      EXPECT_EQ(series.at("coinw_invitee_total_deposit" + l), amount(row["totalDeposit"])) << l;
      EXPECT_EQ(series.at("coinw_invitee_total_withdrawal" + l), amount(row["totalWithdrawal"])) << l;
      EXPECT_EQ(series.at("coinw_invitee_current_balance" + l), amount(row["currentBalance"])) << l;
      EXPECT_EQ(series.at("coinw_invitee_balance_update_timestamp_seconds" + l),
                *coinw::parse_coinw_time(row["updateTime"].get<std::string>(), 0));
      if (row["firstDepositTime"].is_null()) {
        EXPECT_FALSE(series.count("coinw_invitee_first_deposit_timestamp_seconds" + l)) << l;
        EXPECT_FALSE(series.count("coinw_invitee_first_deposit_amount" + l)) << l;
      } else {
        EXPECT_EQ(series.at("coinw_invitee_first_deposit_amount" + l), amount(row["firstDepositAmount"]));
        EXPECT_EQ(series.at("coinw_invitee_first_deposit_timestamp_seconds" + l),
                  *coinw::parse_coinw_time(row["firstDepositTime"].get<std::string>(), 0));
      }
    }
  }
  const auto& subs = data["subAccounts"];
  EXPECT_EQ(series.at("coinw_sub_accounts{account=\"demo\"}"), subs.size());
  for (const auto& s : subs) {
    const std::string uid = std::to_string(s["spotUid"].get<uint64_t>());
    const std::string l = "{account=\"demo\",uid=\"" + uid + "\"}";
    EXPECT_EQ(series.at("coinw_sub_account_frozen" + l), s["frozenFlag"].get<int>());
    EXPECT_EQ(series.at("coinw_sub_account_spot_trade_enabled" + l), s["spotTradeFlag"].get<int>());
    EXPECT_EQ(series.at("coinw_sub_account_contract_trade_enabled" + l), s["contractTradeFlag"].get<int>());
  }
  EXPECT_EQ(count_prefix(series, "coinw_sub_account_info{"), subs.size());
  EXPECT_EQ(sim_->counters().invitee_assets.violations, 0u);
}

TEST_F(ExporterTest, NickNamesAreMaskedByDefaultAndNeverExposedInFull) {
  serve_demo();
  const std::string text = scrape();
  const auto data = sim_->dataset_json();
  for (const auto& s : data["subAccounts"]) {
    const auto nick = s["nickName"].get<std::string>();
    if (nick.size() > 4) {
      EXPECT_EQ(text.find(nick), std::string::npos) << nick;
    }
  }
  EXPECT_NE(text.find("nick_name=\""), std::string::npos);
}

TEST_F(ExporterTest, ALargeNetworkGoesOnRefreshingAfterTheScrapeThatStartedIt) {
  sim::Options o;
  o.invitees = 1400;  // 14 pages of 100: about 3 s of CoinW's 5 requests/s
  start(o);
  config::Config c;
  c.accounts = {account("demo", *sim_, {"usdt"})};
  c.accounts[0].sub_accounts.enabled = false;
  exp_.apply(c);
  const std::string rows = "coinw_invitee_current_balance{";
  const std::string full =
      "coinw_collector_last_full_refresh_timestamp_seconds{account=\"demo\",collector=\"invitee_assets\"}";
  // A 1.2 s scrape timeout less the 0.5 s offset: a few pages.
  auto first = parse_exposition(scrape(1.2));
  const size_t seen = count_prefix(first, rows);
  EXPECT_LT(seen, 1400u) << "the network does not fit one scrape's budget";
  EXPECT_EQ(first.count(full), 0u);
  // No scrape now: the refresh the first one started goes on at CoinW's rate.
  const uint64_t after_first = invitee_requests();
  for (int i = 0; i < 200 && invitee_requests() == after_first; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_GT(invitee_requests(), after_first) << "requests went on between scrapes";
  size_t previous = seen;
  for (int scrapes = 0; scrapes < 20; ++scrapes) {
    auto series = parse_exposition(scrape(1.2));
    const size_t now_seen = count_prefix(series, rows);
    EXPECT_GE(now_seen, previous) << "a partial refresh must keep what earlier scrapes fetched";
    previous = now_seen;
    EXPECT_EQ(series.at("coinw_collector_success{account=\"demo\",collector=\"invitee_assets\"}"), 1);
    if (series.count(full)) break;
    std::this_thread::sleep_for(1s);  // Prometheus' scrape interval, shortened
  }
  EXPECT_EQ(previous, 1400u);
  // Each page once, plus the empty 15th: a full last page cannot tell it was the last.
  EXPECT_EQ(invitee_requests(), 15u) << "each page fetched once";
  EXPECT_EQ(sim_->counters().invitee_assets.violations, 0u);
}

TEST_F(ExporterTest, TwentyConcurrentScrapesCostOneSetOfApiCalls) {
  sim::Options o;
  o.invitees = 250;  // 3 pages per quote
  serve_demo(o);
  std::vector<std::thread> scrapers;
  std::vector<std::string> bodies(20);
  for (int i = 0; i < 20; ++i)
    scrapers.emplace_back([&, i] { bodies[static_cast<size_t>(i)] = exp_.metrics({}).joined(); });
  for (auto& t : scrapers) t.join();
  EXPECT_EQ(invitee_requests(), 6u);
  EXPECT_EQ(sub_requests(), 1u);
  const auto first = parse_exposition(bodies[0]);
  for (const auto& b : bodies) {
    auto s = parse_exposition(b);
    EXPECT_EQ(count_prefix(s, "coinw_invitee_current_balance{"), 500u);
    EXPECT_EQ(count_prefix(s, "coinw_sub_account_frozen{"), count_prefix(first, "coinw_sub_account_frozen{"));
  }
  // Within min_refresh_interval, a further scrape is served from memory.
  scrape();
  EXPECT_EQ(invitee_requests(), 6u);
  EXPECT_EQ(sub_requests(), 1u);
}

// Through the real simulator and HTTP: a deposit booked at the simulator's admin
// API reaches a watched invitee's series within the watch interval, while the
// full pass is not due; and a closed window, once fetched, costs CoinW nothing.
TEST_F(ExporterTest, AWatchedDepositShowsWithinTheIntervalAndAClosedWindowCostsNothing) {
  sim::Options o;
  o.invitees = 250;
  start(o);
  const auto uid = sim_->dataset_json()["invitees"]["usdt"][3]["uid"].get<int64_t>();
  config::Config c;
  auto a = account("demo", *sim_, {"usdt"});
  a.sub_accounts.enabled = false;
  a.invitee_assets.min_refresh_interval = std::chrono::hours(1);
  a.invitee_assets.windows = {{"previous_month", config::WindowKind::previous_month, 0, 0}};
  a.invitee_assets.closed_window_grace = std::chrono::milliseconds(0);
  a.invitee_assets.watch.uids = {static_cast<uint64_t>(uid)};
  // Long enough that the three scrapes below fit in it on a busy (or sanitized) machine.
  a.invitee_assets.watch.min_refresh_interval = std::chrono::seconds(2);
  c.accounts = {a};
  exp_.apply(c);
  const std::string series =
      "coinw_invitee_total_deposit{account=\"demo\",quote=\"usdt\",uid=\"" + std::to_string(uid) + "\"}";
  const double before = parse_exposition(scrape()).at(series);
  const uint64_t after_first = invitee_requests();
  EXPECT_EQ(after_first, 1u + 3u + 3u) << "watch, cumulative pass, previous_month pass";

  ASSERT_TRUE(sim_->add_movement(sim::Quote::usdt, uid, true, 125 * 100'000'000LL));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(parse_exposition(scrape()).at(series), before + 125);
  EXPECT_EQ(invitee_requests(), after_first + 1) << "only the watched uid; the closed window is not asked again";
  for (int i = 0; i < 3; ++i) scrape();
  EXPECT_EQ(invitee_requests(), after_first + 1) << "nothing due within the interval";
}

TEST_F(ExporterTest, ReloadKeepsTheCacheOfUnchangedAccounts) {
  sim::Options o;
  o.invitees = 250;
  start(o);
  config::Config c;
  auto a = account("a", *sim_, {"usdt"});
  auto b = account("b", *sim_, {"usdt"});
  b.invitee_assets.enabled = false;
  c.accounts = {a, b};
  exp_.apply(c);
  scrape();
  EXPECT_EQ(invitee_requests(), 3u);
  EXPECT_EQ(sub_requests(), 2u);

  b.invitee_assets.enabled = true;
  b.sub_accounts.enabled = false;
  c.accounts = {a, b};
  exp_.apply(c);
  auto series = parse_exposition(scrape());
  EXPECT_EQ(invitee_requests(), 6u) << "only the changed account b fetches";
  EXPECT_EQ(sub_requests(), 2u) << "account a's sub-accounts come from its cache";
  EXPECT_EQ(series.at("coinw_sub_accounts{account=\"a\"}"), 12);
  EXPECT_FALSE(series.count("coinw_sub_accounts{account=\"b\"}"));

  c.accounts = {b};  // a removed: its series go
  exp_.apply(c);
  series = parse_exposition(scrape());
  EXPECT_EQ(count_prefix(series, "coinw_invitees{account=\"a\""), 0u);
  EXPECT_EQ(count_prefix(series, "coinw_invitees{account=\"b\""), 1u);
}

TEST_F(ExporterTest, FailingCollectorKeepsDataUntilTheStalenessLimit) {
  start({});
  config::Config c;
  c.global.staleness_limit = 1500ms;
  c.accounts = {account("demo", *sim_, {"usdt"})};
  c.accounts[0].sub_accounts.min_refresh_interval = 1s;
  c.accounts[0].invitee_assets.min_refresh_interval = 1s;
  exp_.apply(c);
  ASSERT_EQ(parse_exposition(scrape()).at("coinw_sub_accounts{account=\"demo\"}"), 12);

  sim::Faults f;
  f.rate = 1;
  f.kinds = {"http500"};
  sim_->set_faults(f);
  std::this_thread::sleep_for(1100ms);
  auto failing = parse_exposition(scrape());
  EXPECT_EQ(failing.at("coinw_collector_success{account=\"demo\",collector=\"sub_accounts\"}"), 0);
  EXPECT_EQ(failing.at("coinw_sub_accounts{account=\"demo\"}"), 12) << "last good data kept";
  EXPECT_GE(
      failing.at("coinw_api_failures_total{account=\"demo\",endpoint=\"sub_account_list\",reason=\"server_error\"}"),
      1);

  std::this_thread::sleep_for(600ms);
  auto stale = parse_exposition(scrape());
  EXPECT_FALSE(stale.count("coinw_sub_accounts{account=\"demo\"}")) << "dropped past the staleness limit";
  EXPECT_EQ(count_prefix(stale, "coinw_invitee_current_balance{"), 0u);
  EXPECT_TRUE(
      stale.count("coinw_collector_last_success_timestamp_seconds{account=\"demo\",collector=\"sub_accounts\"}"));

  sim_->set_faults({});
  std::this_thread::sleep_for(1100ms);
  auto recovered = parse_exposition(scrape());
  EXPECT_EQ(recovered.at("coinw_collector_success{account=\"demo\",collector=\"sub_accounts\"}"), 1);
  EXPECT_EQ(recovered.at("coinw_sub_accounts{account=\"demo\"}"), 12);
}

TEST_F(ExporterTest, PromtoolFindsNothingToLint) {
  sim::Options o;
  o.invitees = 30;
  serve_demo(o);
  EXPECT_EQ(testing::promtool_problems(scrape()), "");
}

}  // namespace
}  // namespace coinw
