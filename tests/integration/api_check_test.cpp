// --api.check against the simulator over loopback, one variant of CoinW per
// test: the right finding, the right exit code, and the request count and
// pacing as the simulator saw them arrive.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "check/probes.h"
#include "check/run.h"
#include "sim/simulator.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using check::Verdict;

const std::vector<std::string_view> kAffiliate = {"invitee_assets", "invitee_list", "invitee_volume"};
// One limit of 3 per second for the three sub-account commands (docs/coinw-api.md §8).
const std::vector<std::string_view> kSpot = {"sub_account_list", "sub_account_apikey",
                                             "sub_account_transfer_available"};

// Faster than the command's one per second, and still under the simulator's
// limits (5 and 3 per second) with a request in flight: four sub-account
// requests span 1.35 s.
constexpr auto kSpacing = 450ms;
// After a run, as the command waits: the next run's first requests fall in a new second.
constexpr auto kSettle = 1100ms;

struct Run {
  std::vector<check::AccountReport> reports;
  std::vector<sim::ArrivalRecord> arrivals;
  sim::Counters counters;

  const check::Finding* find(std::string_view probe) const {
    for (const auto& f : reports.at(0).findings)
      if (f.probe == probe) return &f;
    return nullptr;
  }
  Verdict verdict(std::string_view probe) const {
    auto* f = find(probe);
    EXPECT_NE(f, nullptr) << probe;
    return f ? f->verdict : Verdict::open;
  }
  std::string text(std::string_view probe) const {
    auto* f = find(probe);
    return f ? f->seen + " | " + f->exporter + " | " + f->setting : "(no finding " + std::string(probe) + ")";
  }
  int exit_code() const { return check::exit_code(reports); }
  size_t sent(std::string_view endpoint) const {
    return std::count_if(arrivals.begin(), arrivals.end(), [&](const auto& a) { return a.endpoint == endpoint; });
  }
  // The most arrivals of these endpoints in any closed one-second window.
  size_t busiest_second(const std::vector<std::string_view>& endpoints) const {
    std::vector<int64_t> t;
    for (const auto& a : arrivals)
      if (std::find(endpoints.begin(), endpoints.end(), a.endpoint) != endpoints.end()) t.push_back(a.at_ms);
    size_t most = 0;
    for (size_t i = 0, j = 0; j < t.size(); ++j) {
      while (t[j] - t[i] > 1000) ++i;
      most = std::max(most, j - i + 1);
    }
    return most;
  }
};

config::Config config_for(const sim::Simulator& s) {
  config::Config c;
  config::AccountConfig a;
  a.name = "demo";
  a.base_url = s.url();
  a.api_key = "demo-key";
  a.secret_key = "demo-secret";
  a.proxy_from = "test";
  c.accounts.push_back(a);
  return c;
}

// A fresh deposit on the lowest uid, so the newest updateTime is now.
void deposit_now(sim::Simulator& s) {
  const auto uid = s.dataset_json()["invitees"]["usdt"][0]["uid"].get<int64_t>();
  ASSERT_TRUE(s.add_movement(sim::Quote::usdt, uid, true, 100000000));
}

Run run(sim::Simulator& s, const config::Config& c) {
  Run r;
  r.reports = check::check_accounts(c, SystemClock::instance(), {kSpacing, kSettle});
  r.arrivals = s.arrivals();
  r.counters = s.counters();
  // Every run: what was sent arrived, within the bound, and never too fast.
  EXPECT_EQ(static_cast<size_t>(r.reports.at(0).requests), r.arrivals.size());
  EXPECT_LE(r.reports.at(0).requests, check::max_requests_per_account());
  EXPECT_LE(check::max_requests_per_account(), 20);
  EXPECT_LE(r.busiest_second({"invitee_assets"}), static_cast<size_t>(facts::kInviteeAssetsPerSecond));
  EXPECT_LE(r.busiest_second(kSpot), static_cast<size_t>(facts::kSubAccountListPerSecond));
  // The funnel endpoints share the invitee-assets limit: the three together.
  EXPECT_LE(r.busiest_second(kAffiliate), static_cast<size_t>(facts::kInviteeAssetsPerSecond));
  EXPECT_EQ(r.counters.invitee_assets.violations + r.counters.sub_account_list.violations +
                r.counters.invitee_list.violations + r.counters.invitee_volume.violations +
                r.counters.sub_account_apikey.violations + r.counters.sub_account_transfer_available.violations,
            0u);
  return r;
}

struct Started {
  explicit Started(sim::Options o = {}) : sim(std::move(o)) { sim.start(); }
  sim::Simulator sim;
};

// The check with the default configuration against a simulator playing `o`.
Run run_variant(sim::Options o) {
  Started s(std::move(o));
  return run(s.sim, config_for(s.sim));
}
template <class MakeConfig>
Run run_variant_with(sim::Options o, MakeConfig make) {
  Started s(std::move(o));
  return run(s.sim, make(s.sim));
}

TEST(ApiCheck, DocumentedCoinwIsUsableAndPaced) {
  Started s;
  deposit_now(s.sim);
  auto c = config_for(s.sim);
  c.accounts[0].invitee_assets.windows.push_back({"today", config::WindowKind::today});
  const auto r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("invitee_assets"), 3u);  // access, page size, window
  EXPECT_EQ(r.sent("sub_account_list"), 1u);
  for (auto probe :
       {"invitee_assets.access", "sub_accounts.access", "invitee_assets.page_size", "invitee_assets.signature",
        "invitee_assets.window_rows", "code_type", "clock", "invitee_assets.times"})
    EXPECT_EQ(r.verdict(probe), Verdict::ok) << r.text(probe);
  EXPECT_EQ(r.verdict("connection"), Verdict::note) << "plain HTTP: " << r.text("connection");
  EXPECT_EQ(r.verdict("invitee_assets.rate_limit"), Verdict::open);
  EXPECT_EQ(r.verdict("sub_accounts.rate_limit"), Verdict::open);
  EXPECT_NE(r.text("invitee_assets.page_size").find("caps a page at 100"), std::string::npos);
  EXPECT_NE(r.text("invitee_assets.window_rows").find("every invitee"), std::string::npos);
  EXPECT_EQ(r.sent("invitee_list") + r.sent("invitee_volume"), 0u) << "the funnel collectors are off by default";
  for (auto probe : {"invitee_registrations.access", "invitee_trade_volume.access", "funnel.rate_limit"})
    EXPECT_EQ(r.find(probe), nullptr) << probe;
}

TEST(ApiCheck, PageCapBelowThePageSizeAsksToLowerIt) {
  sim::Options o;
  o.page_size_cap = 20;
  const auto r = run_variant(o);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_assets.page_size"), Verdict::change);
  EXPECT_NE(r.text("invitee_assets.page_size").find("lower invitee_assets.page_size to 20"), std::string::npos)
      << r.text("invitee_assets.page_size");
}

TEST(ApiCheck, PageCapNotReachedStaysUnknown) {
  sim::Options o;
  o.page_size_cap = 1000;
  o.invitees = 30;
  const auto r = run_variant(o);
  EXPECT_EQ(r.verdict("invitee_assets.page_size"), Verdict::ok);
  EXPECT_NE(r.text("invitee_assets.page_size").find("unknown"), std::string::npos)
      << r.text("invitee_assets.page_size");
}

TEST(ApiCheck, OversizedPageRefusedThenTheConfiguredSizeDecides) {
  sim::Options o;
  o.drift.refuse_over_cap = true;
  Started s(o);
  auto c = config_for(s.sim);
  auto r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_assets.page_size"), Verdict::note) << r.text("invitee_assets.page_size");
  EXPECT_EQ(r.sent("invitee_assets"), 4u);  // the configured size asked once more

  s.sim.reset_counters();
  c.accounts[0].invitee_assets.page_size = 200;
  r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.verdict("invitee_assets.page_size"), Verdict::fail) << r.text("invitee_assets.page_size");
}

TEST(ApiCheck, WindowedAnswersOfActiveInviteesOnly) {
  sim::Options o;
  o.drift.window_active_only = true;
  const auto r = run_variant(o);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_assets.window_rows"), Verdict::note);
  EXPECT_NE(r.text("invitee_assets.window_rows").find("only invitees with movements"), std::string::npos);
}

TEST(ApiCheck, CodeAsANumber) {
  sim::Options o;
  o.drift.numeric_code = true;
  const auto r = run_variant(o);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("code_type"), Verdict::note);
  EXPECT_NE(r.text("code_type").find("invitee_assets: `code` as number"), std::string::npos) << r.text("code_type");
  EXPECT_NE(r.text("code_type").find("sub_account_list: `code` as number"), std::string::npos);
}

TEST(ApiCheck, EncodedSignatureFormIsFoundByTheFallback) {
  sim::Options o;
  o.sign_form = api::QueryForm::encoded;
  Started s(o);
  auto c = config_for(s.sim);
  c.accounts[0].invitee_assets.windows.push_back({"today", config::WindowKind::today});
  const auto r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_assets.signature"), Verdict::note) << r.text("invitee_assets.signature");
  EXPECT_NE(r.text("invitee_assets.signature").find("percent-encoded query was accepted"), std::string::npos);
  EXPECT_EQ(r.sent("invitee_assets"), 4u);  // the windowed request twice
  EXPECT_EQ(r.counters.bad_signatures, 1u);
}

// The collector's access finding fails on the permission code, and says how to turn it off.
void expect_denied(const Run& r, const std::string& collector) {
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.verdict(collector + ".access"), Verdict::fail);
  EXPECT_NE(r.text(collector + ".access").find("6003"), std::string::npos) << r.text(collector + ".access");
  EXPECT_NE(r.text(collector + ".access").find(collector + ".enabled: false"), std::string::npos);
}

TEST(ApiCheck, MissingPermissionFailsThatCollector) {
  sim::Options o;
  o.denied = {"invitee_assets"};
  Started s(o);
  auto r = run(s.sim, config_for(s.sim));
  expect_denied(r, "invitee_assets");
  EXPECT_EQ(r.sent("invitee_assets"), 1u);  // nothing more asked of an endpoint the key may not use
  EXPECT_EQ(r.verdict("sub_accounts.access"), Verdict::ok);

  s.sim.reset_counters();
  s.sim.set_denied({"sub_account_list"});
  auto c = config_for(s.sim);
  r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.verdict("sub_accounts.access"), Verdict::fail);

  s.sim.reset_counters();
  c.accounts[0].sub_accounts.enabled = false;  // a collector that is off needs nothing
  r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("sub_account_list"), 0u);
  EXPECT_EQ(r.find("sub_accounts.access"), nullptr);
}

TEST(ApiCheck, SkewedDateAsksForNtp) {
  sim::Options o;
  o.clock_skew_s = 10;  // within the simulator's 30 s timestamp window
  const auto r = run_variant(o);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("clock"), Verdict::change) << r.text("clock");
  EXPECT_NE(r.text("clock").find("NTP"), std::string::npos);
}

TEST(ApiCheck, SkewBeyondTheTimestampWindowFailsTheInviteeCollector) {
  sim::Options o;
  o.clock_skew_s = -45;
  const auto r = run_variant(o);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.verdict("invitee_assets.access"), Verdict::fail);
  EXPECT_EQ(r.verdict("sub_accounts.access"), Verdict::ok) << "spot requests carry no timestamp";
  EXPECT_EQ(r.verdict("clock"), Verdict::change);
}

TEST(ApiCheck, TimesWrittenEastOfTheConfiguredZone) {
  sim::Options o;
  o.time_zone_offset = "+08:00";
  Started s(o);
  deposit_now(s.sim);
  const auto r = run(s.sim, config_for(s.sim));
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_assets.times"), Verdict::change) << r.text("invitee_assets.times");
  EXPECT_NE(r.text("invitee_assets.times").find("to +08:00"), std::string::npos) << r.text("invitee_assets.times");

  s.sim.reset_counters();
  auto c = config_for(s.sim);
  c.global.time_zone_offset_seconds = 8 * 3600;  // as advised
  const auto again = run(s.sim, c);
  EXPECT_EQ(again.verdict("invitee_assets.times"), Verdict::ok) << again.text("invitee_assets.times");
}

// The funnel collectors on (those asked for), with or without the invitee-assets one.
config::Config with_funnel(const sim::Simulator& s, bool invitee_assets = true, bool registrations = true,
                           bool volume = true) {
  auto c = config_for(s);
  auto& a = c.accounts[0];
  a.invitee_assets.enabled = invitee_assets;
  a.invitee_registrations.enabled = registrations;
  a.invitee_trade_volume.enabled = volume;
  return c;
}

// A sign-up and a trade now, so that registerTime and today's volume are fresh.
void signup_and_trade(sim::Simulator& s) { ASSERT_TRUE(s.book_trade(s.add_signup(), 100000000)); }

// The check against a simulator playing `o`, just after a sign-up and a trade.
Run run_funnel(sim::Options o, bool invitee_assets, bool registrations, bool volume) {
  Started s(std::move(o));
  signup_and_trade(s.sim);
  return run(s.sim, with_funnel(s.sim, invitee_assets, registrations, volume));
}

TEST(ApiCheck, FunnelAsDocumented) {
  const auto r = run_funnel({}, true, true, true);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("invitee_list"), 1u);  // the whole range since 2017 at once
  EXPECT_EQ(r.sent("invitee_volume"), 1u);
  EXPECT_EQ(r.reports[0].requests, 7);  // 3 invitee assets, the sub-account list and key inventory, 2 funnel
  for (auto probe :
       {"invitee_registrations.access", "invitee_registrations.range", "invitee_registrations.times",
        "invitee_trade_volume.access", "invitee_trade_volume.today", "invitee_trade_volume.volume", "code_type"})
    EXPECT_EQ(r.verdict(probe), Verdict::ok) << r.text(probe);
  EXPECT_EQ(r.verdict("funnel.rate_limit"), Verdict::open);
  EXPECT_NE(r.text("code_type").find("invitee_list: `code` as string"), std::string::npos) << r.text("code_type");
  EXPECT_NE(r.text("code_type").find("invitee_volume: `code` as string"), std::string::npos);
  EXPECT_NE(r.text("invitee_trade_volume.volume").find("string"), std::string::npos);
}

TEST(ApiCheck, FunnelAloneIsPacedAndAnswersItsQuestions) {
  sim::Options o;
  o.drift.numeric_code = true;
  const auto r = run_funnel(o, false, true, true);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("invitee_assets"), 0u);
  EXPECT_EQ(r.find("invitee_assets.rate_limit"), nullptr);
  EXPECT_EQ(r.verdict("code_type"), Verdict::note);
  EXPECT_NE(r.text("code_type").find("invitee_list: `code` as number"), std::string::npos) << r.text("code_type");
  EXPECT_NE(r.text("code_type").find("invitee_volume: `code` as number"), std::string::npos);
}

TEST(ApiCheck, SignUpRangeRefusedAsTooLongIsSplitByTheCollector) {
  sim::Options o;
  o.drift.list_max_range_days = 31;
  Started s(o);
  auto r = run(s.sim, with_funnel(s.sim, false));
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("invitee_list"), 2u);  // the whole range, then one month
  EXPECT_EQ(r.verdict("invitee_registrations.access"), Verdict::ok) << r.text("invitee_registrations.access");
  EXPECT_EQ(r.verdict("invitee_registrations.range"), Verdict::open);
  EXPECT_NE(r.text("invitee_registrations.range").find("code 9016"), std::string::npos);
  EXPECT_NE(r.text("invitee_registrations.range").find("month by month"), std::string::npos)
      << r.text("invitee_registrations.range");

  s.sim.reset_counters();
  auto d = s.sim.drift();
  d.list_max_range_days = 7;  // a month refused too: the collector cannot work
  s.sim.set_drift(d);
  r = run(s.sim, with_funnel(s.sim, false));
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.sent("invitee_list"), 2u);
  EXPECT_EQ(r.verdict("invitee_registrations.access"), Verdict::fail);
  EXPECT_NE(r.text("invitee_registrations.range").find("not for its length"), std::string::npos);
}

TEST(ApiCheck, FunnelEndpointRefusedFailsThatCollector) {
  sim::Options o;
  o.denied = {"invitee_list"};
  Started s(o);
  auto r = run(s.sim, with_funnel(s.sim));
  expect_denied(r, "invitee_registrations");
  EXPECT_EQ(r.sent("invitee_list"), 1u) << "a refused endpoint is not asked a month";
  EXPECT_EQ(r.find("invitee_registrations.range"), nullptr);
  EXPECT_EQ(r.verdict("invitee_registrations.times"), Verdict::open) << "a refusal has no rows";
  EXPECT_EQ(r.verdict("invitee_trade_volume.access"), Verdict::ok);
  EXPECT_EQ(r.verdict("invitee_assets.access"), Verdict::ok);

  s.sim.reset_counters();
  s.sim.set_denied({"invitee_volume"});
  r = run(s.sim, with_funnel(s.sim));
  expect_denied(r, "invitee_trade_volume");
  EXPECT_EQ(r.find("invitee_trade_volume.today"), nullptr);
  EXPECT_EQ(r.verdict("invitee_registrations.access"), Verdict::ok);
}

TEST(ApiCheck, RegisterTimeWrittenEastOfTheConfiguredZone) {
  sim::Options o;
  o.time_zone_offset = "+08:00";
  Started s(o);
  s.sim.add_signup();
  auto c = with_funnel(s.sim, false, true, false);
  const auto r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_registrations.times"), Verdict::change) << r.text("invitee_registrations.times");
  EXPECT_NE(r.text("invitee_registrations.times").find("to +08:00"), std::string::npos);
  EXPECT_NE(r.text("invitee_registrations.times").find("registration_timestamp_seconds"), std::string::npos);

  s.sim.reset_counters();
  c.global.time_zone_offset_seconds = 8 * 3600;  // as advised
  const auto again = run(s.sim, c);
  EXPECT_EQ(again.verdict("invitee_registrations.times"), Verdict::ok) << again.text("invitee_registrations.times");
}

TEST(ApiCheck, OldSignUpsLeaveTheZoneOpen) {
  Started s;  // the seeded sign-ups are months old
  const auto r = run(s.sim, with_funnel(s.sim, false, true, false));
  EXPECT_EQ(r.verdict("invitee_registrations.times"), Verdict::open) << r.text("invitee_registrations.times");
  EXPECT_NE(r.text("invitee_registrations.times").find("a fresh registerTime"), std::string::npos);
}

TEST(ApiCheck, VolumeOfClosedDaysOnlyLeavesTodayOpen) {
  sim::Options o;
  o.drift.volume_closed_days_only = true;
  const auto r = run_funnel(o, false, false, true);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("invitee_volume"), 1u);
  EXPECT_EQ(r.verdict("invitee_trade_volume.today"), Verdict::open) << r.text("invitee_trade_volume.today");
  EXPECT_NE(r.text("invitee_trade_volume.today").find("none for today"), std::string::npos)
      << "about 40% of 500 invitees trade on 30% of days: yesterday has rows";
}

TEST(ApiCheck, VolumeWithoutRowsOrAsNumbers) {
  sim::Options o;
  o.drift.empty_answers = 1;
  Started s(o);
  auto r = run(s.sim, with_funnel(s.sim, false, false, true));
  EXPECT_EQ(r.verdict("invitee_trade_volume.today"), Verdict::open);
  EXPECT_NE(r.text("invitee_trade_volume.today").find("no rows"), std::string::npos);
  EXPECT_EQ(r.verdict("invitee_trade_volume.volume"), Verdict::open);

  o = {};
  o.quirks = true;  // some volumes as JSON numbers
  r = run_funnel(o, false, false, true);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("invitee_trade_volume.volume"), Verdict::note) << r.text("invitee_trade_volume.volume");
  EXPECT_NE(r.text("invitee_trade_volume.volume").find("number"), std::string::npos);
}

TEST(ApiCheck, UnreachableCoinwFails) {
  config::Config c;
  {
    Started s;
    c = config_for(s.sim);
  }  // stopped: its port now refuses connections
  c.global.http.connect_timeout = 1000ms;
  const auto reports = check::check_accounts(c, SystemClock::instance(), {kSpacing, kSettle});
  EXPECT_EQ(check::exit_code(reports), 1);
  bool connection_failed = false;
  for (const auto& f : reports[0].findings)
    if (f.probe == "connection") connection_failed = f.verdict == Verdict::fail;
  EXPECT_TRUE(connection_failed);
}

// The sub-account key inventory and funds collectors (issue 18): funds on for USDT.
config::Config with_funds(const sim::Simulator& s, std::vector<std::string> coins = {"USDT"}) {
  auto c = config_for(s);
  c.accounts[0].sub_accounts.funds.coins = std::move(coins);
  return c;
}

TEST(ApiCheck, DocumentedKeyListAndFundsAreUsable) {
  Started s;
  const auto r = run(s.sim, with_funds(s.sim));
  EXPECT_EQ(r.exit_code(), 0);
  for (auto probe : {"sub_accounts.api_keys.access", "sub_accounts.api_keys.fields", "sub_accounts.funds.access",
                     "sub_accounts.funds.amount"})
    EXPECT_EQ(r.verdict(probe), Verdict::ok) << probe << ": " << r.text(probe);
  EXPECT_EQ(r.verdict("sub_accounts.funds.unknown_coin"), Verdict::note) << r.text("sub_accounts.funds.unknown_coin");
  EXPECT_NE(r.text("sub_accounts.funds.unknown_coin").find("misspelt coin"), std::string::npos);
  EXPECT_NE(r.text("code_type").find("sub_account_apikey"), std::string::npos) << r.text("code_type");
  EXPECT_EQ(r.sent("sub_account_apikey"), 1u);
  EXPECT_EQ(r.sent("sub_account_transfer_available"), 2u);  // a listed sub-account's USDT, then a coin nobody lists
}

TEST(ApiCheck, FundsOffByDefaultAndKeysOffWhenDisabled) {
  Started s;
  auto c = config_for(s.sim);
  auto r = run(s.sim, c);
  EXPECT_EQ(r.sent("sub_account_apikey"), 1u) << "the key inventory is on by default";
  EXPECT_EQ(r.sent("sub_account_transfer_available"), 0u) << "funds are off until coins are named";
  EXPECT_EQ(r.find("sub_accounts.funds.access"), nullptr);

  s.sim.reset_counters();
  c.accounts[0].sub_accounts.api_keys.enabled = false;
  r = run(s.sim, c);
  EXPECT_EQ(r.sent("sub_account_apikey"), 0u);
  EXPECT_EQ(r.find("sub_accounts.api_keys.access"), nullptr);
}

TEST(ApiCheck, MissingKeyOrFundsPermissionFailsThatCollector) {
  sim::Options o;
  o.denied = {"sub_account_apikey"};
  Started s(o);
  auto r = run(s.sim, with_funds(s.sim));
  expect_denied(r, "sub_accounts.api_keys");
  EXPECT_EQ(r.find("sub_accounts.api_keys.fields"), nullptr) << "nothing to judge in a refusal";
  EXPECT_EQ(r.verdict("sub_accounts.funds.access"), Verdict::ok);

  s.sim.reset_counters();
  s.sim.set_denied({"sub_account_transfer_available"});
  r = run(s.sim, with_funds(s.sim));
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.verdict("sub_accounts.funds.access"), Verdict::fail);
  EXPECT_NE(r.text("sub_accounts.funds.access").find("6003"), std::string::npos);
  EXPECT_NE(r.text("sub_accounts.funds.access").find("sub_accounts.funds.coins: []"), std::string::npos)
      << r.text("sub_accounts.funds.access");
  EXPECT_EQ(r.sent("sub_account_transfer_available"), 1u) << "no unknown-coin request after a refusal";
  EXPECT_EQ(r.find("sub_accounts.funds.unknown_coin"), nullptr);
}

TEST(ApiCheck, RefusedUnknownCoinsMakeAMisspeltCoinVisible) {
  sim::Options o;
  o.drift.unknown_coin_refused = true;
  Started s(o);
  auto r = run(s.sim, with_funds(s.sim));
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("sub_accounts.funds.unknown_coin"), Verdict::ok) << r.text("sub_accounts.funds.unknown_coin");
  EXPECT_NE(r.text("sub_accounts.funds.unknown_coin").find("refused"), std::string::npos);

  s.sim.reset_counters();
  r = run(s.sim, with_funds(s.sim, {"USTD"}));
  EXPECT_EQ(r.verdict("sub_accounts.funds.access"), Verdict::change) << r.text("sub_accounts.funds.access");
  EXPECT_NE(r.text("sub_accounts.funds.access").find("check sub_accounts.funds.coins"), std::string::npos);
  EXPECT_EQ(r.sent("sub_account_transfer_available"), 1u);
}

TEST(ApiCheck, ChangedKeyFlagsAndAmountFormsAreNamed) {
  sim::Options o;
  o.drift.spot_formats_changed = true;  // flags "Y"/"N", amounts as objects
  const auto r = run_variant_with(o, [](const sim::Simulator& s) { return with_funds(s); });
  EXPECT_EQ(r.verdict("sub_accounts.api_keys.access"), Verdict::fail) << "the parser refuses Y/N flags";
  EXPECT_EQ(r.verdict("sub_accounts.api_keys.fields"), Verdict::note) << r.text("sub_accounts.api_keys.fields");
  EXPECT_NE(r.text("sub_accounts.api_keys.fields").find("\"a\""), std::string::npos)
      << "letters masked, and told from digits: " << r.text("sub_accounts.api_keys.fields");
  EXPECT_NE(r.text("sub_accounts.api_keys.fields").find("report this output"), std::string::npos);
  EXPECT_EQ(r.verdict("sub_accounts.funds.access"), Verdict::fail) << r.text("sub_accounts.funds.access");
  EXPECT_EQ(r.verdict("sub_accounts.funds.amount"), Verdict::fail) << r.text("sub_accounts.funds.amount");
  EXPECT_NE(r.text("sub_accounts.funds.amount").find("1 object"), std::string::npos);
  EXPECT_EQ(r.find("sub_accounts.funds.unknown_coin"), nullptr);
  EXPECT_EQ(r.exit_code(), 1);
}

TEST(ApiCheck, NoKeysOrNoSubAccountsLeaveTheirQuestionsOpen) {
  sim::Options o;
  o.drift.empty_key_answers = 1;
  o.sub_accounts = 0;
  const auto r = run_variant_with(o, [](const sim::Simulator& s) { return with_funds(s); });
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.verdict("sub_accounts.api_keys.fields"), Verdict::open) << r.text("sub_accounts.api_keys.fields");
  EXPECT_EQ(r.verdict("sub_accounts.funds.access"), Verdict::open) << r.text("sub_accounts.funds.access");
  EXPECT_EQ(r.sent("sub_account_transfer_available"), 0u);
}

}  // namespace
}  // namespace coinw
