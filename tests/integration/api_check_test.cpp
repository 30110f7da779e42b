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

// Faster than the command's one per second, and still under the simulator's
// limits (5 and 3 per second) with a request in flight.
constexpr auto kSpacing = 350ms;

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
  // The most arrivals of one endpoint in any closed one-second window.
  size_t busiest_second(std::string_view endpoint) const {
    std::vector<int64_t> t;
    for (const auto& a : arrivals)
      if (a.endpoint == endpoint) t.push_back(a.at_ms);
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
  r.reports = check::check_accounts(c, SystemClock::instance(), {kSpacing, 0ms});
  r.arrivals = s.arrivals();
  r.counters = s.counters();
  // Every run: what was sent arrived, within the bound, and never too fast.
  EXPECT_EQ(static_cast<size_t>(r.reports.at(0).requests), r.arrivals.size());
  EXPECT_LE(r.reports.at(0).requests, check::max_requests_per_account());
  EXPECT_LE(check::max_requests_per_account(), 20);
  EXPECT_LE(r.busiest_second("invitee_assets"), static_cast<size_t>(facts::kInviteeAssetsPerSecond));
  EXPECT_LE(r.busiest_second("sub_account_list"), static_cast<size_t>(facts::kSubAccountListPerSecond));
  EXPECT_EQ(r.counters.invitee_assets.violations + r.counters.sub_account_list.violations, 0u);
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

TEST(ApiCheck, DocumentedCoinwIsUsableAndPaced) {
  Started s;
  deposit_now(s.sim);
  auto c = config_for(s.sim);
  c.accounts[0].invitee_assets.windows.push_back({"today", config::WindowKind::today});
  const auto r = run(s.sim, c);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.sent("invitee_assets"), 3u);  // access, page size, window
  EXPECT_EQ(r.sent("sub_account_list"), 1u);
  for (auto probe : {"invitee_assets.access", "sub_accounts.access", "invitee_assets.page_size",
                     "invitee_assets.signature", "invitee_assets.window_rows", "code_type", "clock",
                     "invitee_assets.times"})
    EXPECT_EQ(r.verdict(probe), Verdict::ok) << r.text(probe);
  EXPECT_EQ(r.verdict("connection"), Verdict::note) << "plain HTTP: " << r.text("connection");
  EXPECT_EQ(r.verdict("invitee_assets.rate_limit"), Verdict::open);
  EXPECT_EQ(r.verdict("sub_accounts.rate_limit"), Verdict::open);
  EXPECT_NE(r.text("invitee_assets.page_size").find("caps a page at 100"), std::string::npos);
  EXPECT_NE(r.text("invitee_assets.window_rows").find("every invitee"), std::string::npos);
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
  EXPECT_NE(r.text("invitee_assets.page_size").find("unknown"), std::string::npos) << r.text("invitee_assets.page_size");
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

TEST(ApiCheck, MissingPermissionFailsThatCollector) {
  sim::Options o;
  o.denied = {"invitee_assets"};
  Started s(o);
  auto r = run(s.sim, config_for(s.sim));
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.verdict("invitee_assets.access"), Verdict::fail);
  EXPECT_NE(r.text("invitee_assets.access").find("6003"), std::string::npos);
  EXPECT_NE(r.text("invitee_assets.access").find("invitee_assets.enabled: false"), std::string::npos);
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

TEST(ApiCheck, UnreachableCoinwFails) {
  config::Config c;
  {
    Started s;
    c = config_for(s.sim);
  }  // stopped: its port now refuses connections
  c.global.http.connect_timeout = 1000ms;
  const auto reports = check::check_accounts(c, SystemClock::instance(), {kSpacing, 0ms});
  EXPECT_EQ(check::exit_code(reports), 1);
  bool connection_failed = false;
  for (const auto& f : reports[0].findings)
    if (f.probe == "connection") connection_failed = f.verdict == Verdict::fail;
  EXPECT_TRUE(connection_failed);
}

}  // namespace
}  // namespace coinw
