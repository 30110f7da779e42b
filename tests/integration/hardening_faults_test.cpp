// The exporter against a simulator that misbehaves: every fault the simulator
// injects, a refused connection, TLS failures, a 29001 storm, wrong credentials
// and a skewed clock. For each: the scrape still answers valid exposition, the
// failure is counted under its reason, the last good data stays, and the next
// refresh after the fault clears recovers. Loopback only; a few seconds in all.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "exporter/exporter.h"
#include "sim/simulator.h"
#include "support/exposition.h"
#include "support/exposition_check.h"
#include "support/test_ca.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using testing::parse_exposition;
using testing::Series;

constexpr auto kRefresh = 500ms;  // both collectors' min_refresh_interval
constexpr auto kPause = 3s;       // pause_after_rate_limit (the config file allows no less than 30 s)

// SystemClock whose wall time can be skewed, as on a host with a wrong clock.
class SkewClock final : public Clock {
 public:
  TimePoint now() const override { return SystemClock::instance().now(); }
  std::chrono::system_clock::time_point wall_now() const override {
    return SystemClock::instance().wall_now() + std::chrono::milliseconds(skew_ms.load());
  }
  void sleep_until(TimePoint t) override { SystemClock::instance().sleep_until(t); }
  bool wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                  const std::function<bool()>& done) override {
    return SystemClock::instance().wait_until(cv, lock, deadline, done);
  }
  std::atomic<int64_t> skew_ms{0};
};

// Where the exporter's requests really go. The account's configuration stays
// the same (so its cache is kept); a test points the transport elsewhere: a
// simulator with other credentials, a certificate for another host, another CA.
struct Route {
  std::mutex mu;
  std::optional<std::string> base_url, ca_file;  // unset: the configured ones
  int generation = 0;
  void set(std::optional<std::string> url, std::optional<std::string> ca) {
    std::lock_guard lock(mu);
    base_url = std::move(url);
    ca_file = std::move(ca);
    ++generation;
  }
};

class RoutedTransport final : public api::Transport {
 public:
  RoutedTransport(api::TransportOptions options, std::shared_ptr<Route> route)
      : options_(std::move(options)), route_(std::move(route)) {}
  api::Result<api::HttpResponse> send(const api::HttpRequest& request) override {
    {
      std::lock_guard lock(route_->mu);
      if (!inner_ || generation_ != route_->generation) {
        api::TransportOptions o = options_;
        if (route_->base_url) o.base_url = *route_->base_url;
        if (route_->ca_file) o.ca_file = *route_->ca_file;
        inner_ = api::make_http_transport(o);
        generation_ = route_->generation;
      }
    }
    return inner_->send(request);
  }

 private:
  api::TransportOptions options_;
  std::shared_ptr<Route> route_;
  std::unique_ptr<api::Transport> inner_;
  int generation_ = -1;
};

std::string label(const char* collector) { return std::string("{account=\"demo\",collector=\"") + collector + "\"}"; }
std::string failures(const char* endpoint, const std::string& reason) {
  return std::string("coinw_api_failures_total{account=\"demo\",endpoint=\"") + endpoint + "\",reason=\"" + reason +
         "\"}";
}
std::string paused(const char* endpoint) {
  return std::string("coinw_rate_limit_paused{account=\"demo\",endpoint=\"") + endpoint + "\"}";
}
const std::string kSubs = "coinw_sub_accounts{account=\"demo\"}";
const std::string kInvitees = "coinw_invitees{account=\"demo\",quote=\"usdt\"}";

// Members are public: the fault table below drives them.
class Hardening : public ::testing::Test {
 public:
  void start(bool tls = false) {
    if (tls) ca_ = std::make_unique<testing::TestCa>();
    sim_ = make_sim(tls, "127.0.0.1", 0, "demo-key", "demo-secret");
    config::Config c;
    c.global.http.connect_timeout = 300ms;
    c.global.http.read_timeout = 300ms;
    c.global.staleness_limit = 60s;
    c.global.rate_limits.pause_after_rate_limit = kPause;
    config::AccountConfig a;
    a.name = "demo";
    a.base_url = sim_->url();
    if (tls) a.ca_file = ca_->ca_file();
    a.api_key = "demo-key";
    a.secret_key = "demo-secret";
    a.invitee_assets.quotes = {"usdt"};
    a.invitee_assets.min_refresh_interval = kRefresh;
    a.sub_accounts.min_refresh_interval = kRefresh;
    c.accounts = {a};
    exp_.apply(c);
  }

  std::unique_ptr<sim::Simulator> make_sim(bool tls, const std::string& host, int port, const std::string& key,
                                           const std::string& secret) {
    sim::Options o;
    o.host = host;
    o.port = port;
    o.invitees = 30;
    o.sub_accounts = 4;
    o.api_key = key;
    o.secret_key = secret;
    if (tls) {
      o.tls_cert = ca_->cert_file();
      o.tls_key = ca_->key_file();
    }
    auto s = std::make_unique<sim::Simulator>(o);
    s->start();
    return s;
  }

  // One scrape after the refresh interval: answers 200 with exposition that
  // both our reader and promtool accept.
  Series scrape_checked() {
    std::this_thread::sleep_for(kRefresh + 50ms);
    return scrape_now();
  }
  Series scrape_now(std::optional<double> timeout_seconds = std::nullopt) {
    web::ScrapeRequest r;
    r.timeout_seconds = timeout_seconds;
    auto res = exp_.metrics(r);
    EXPECT_EQ(res.status, 200);
    auto check = testing::check_exposition(res.joined());
    EXPECT_TRUE(check.ok()) << check.report();
    EXPECT_EQ(testing::promtool_problems(res.joined()), "");
    return parse_exposition(res.joined());
  }
  uint64_t sim_requests() const {
    auto c = sim_->counters();
    return c.invitee_assets.requests + c.sub_account_list.requests;
  }

  SkewClock clock_;
  std::shared_ptr<Route> route_ = std::make_shared<Route>();
  exporter::Exporter exp_{clock_, [route = route_](const api::TransportOptions& o) -> std::unique_ptr<api::Transport> {
                            return std::make_unique<RoutedTransport>(o, route);
                          }};
  std::unique_ptr<testing::TestCa> ca_;
  std::unique_ptr<sim::Simulator> sim_;
  std::unique_ptr<sim::Simulator> other_;  // a second simulator some cases route to
};

struct FaultCase {
  const char* name;
  bool tls;
  std::function<void(Hardening&)> inject, clear;
  const char* reason;
  bool invitees_fail, subs_fail;
};

sim::Faults every_request(const char* kind) {
  sim::Faults f;
  f.rate = 1;
  f.kinds = {kind};
  f.slow_ms = 1500;  // well past the 300 ms read timeout
  return f;
}

FaultCase sim_fault(const char* kind, const char* reason) {
  return {kind,
          false,
          [kind](Hardening& h) { h.sim_->set_faults(every_request(kind)); },
          [](Hardening& h) { h.sim_->set_faults({}); },
          reason,
          true,
          true};
}

// Routes every request to a second simulator built by `make`.
FaultCase elsewhere(const char* name, bool tls, const char* reason,
                    std::function<std::unique_ptr<sim::Simulator>(Hardening&)> make) {
  return {name,
          tls,
          [make](Hardening& h) {
            h.other_ = make(h);
            h.route_->set(h.other_->url(), std::nullopt);
          },
          [](Hardening& h) { h.route_->set(std::nullopt, std::nullopt); },
          reason,
          true,
          true};
}

std::vector<FaultCase> cases() {
  std::vector<FaultCase> v = {
      sim_fault("http500", "server_error"),
      sim_fault("html", "server_error"),
      sim_fault("malformed", "malformed_response"),
      sim_fault("truncated", "malformed_response"),
      sim_fault("empty", "malformed_response"),
      sim_fault("slow", "timeout"),
      sim_fault("drop", "network"),
  };
  // The simulator stops; its port refuses connections; a new one starts on it.
  v.push_back({"refused", false, [](Hardening& h) { h.sim_->stop(); },
               [](Hardening& h) {
                 const int port = h.sim_->port();
                 h.sim_.reset();
                 sim::Options o;
                 o.port = port;
                 o.invitees = 30;
                 o.sub_accounts = 4;
                 h.sim_ = std::make_unique<sim::Simulator>(o);
                 h.sim_->start();
               },
               "network", true, true});
  // The same simulator, verified against another CA.
  v.push_back({"wrong_ca", true, [](Hardening& h) { h.route_->set(std::nullopt, h.ca_->other_ca_file()); },
               [](Hardening& h) { h.route_->set(std::nullopt, std::nullopt); }, "tls", true, true});
  // A certificate for 127.0.0.1 served from 127.0.0.2.
  v.push_back(elsewhere("wrong_host", true, "tls",
                        [](Hardening& h) { return h.make_sim(true, "127.0.0.2", 0, "demo-key", "demo-secret"); }));
  v.push_back(elsewhere("wrong_key", false, "auth",
                        [](Hardening& h) { return h.make_sim(false, "127.0.0.1", 0, "other-key", "demo-secret"); }));
  v.push_back(elsewhere("wrong_secret", false, "auth",
                        [](Hardening& h) { return h.make_sim(false, "127.0.0.1", 0, "demo-key", "other-secret"); }));
  // The exporter's wall clock 10 minutes ahead: the invitee endpoint's signed
  // timestamp falls outside the 30 s window; the spot endpoint has none.
  v.push_back({"clock_skew", false, [](Hardening& h) { h.clock_.skew_ms = 10 * 60 * 1000; },
               [](Hardening& h) { h.clock_.skew_ms = 0; }, "auth", true, false});
  return v;
}

class FaultMatrix : public Hardening, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(FaultMatrix, CountedKeptAndRecovered) {
  const FaultCase& fc = GetParam();
  start(fc.tls);
  auto before = scrape_now();
  ASSERT_EQ(before.at("coinw_collector_success" + label("sub_accounts")), 1);
  ASSERT_EQ(before.at("coinw_collector_success" + label("invitee_assets")), 1);
  ASSERT_EQ(before.at(kSubs), 4);
  ASSERT_EQ(before.at(kInvitees), 30);
  const size_t rows_before = testing::count_prefix(before, "coinw_invitee_current_balance{");
  ASSERT_EQ(rows_before, 30u);

  fc.inject(*this);
  auto failing = scrape_checked();
  struct Collector {
    const char* collector;
    const char* endpoint;
    bool fails;
  };
  for (const Collector& c : {Collector{"sub_accounts", "sub_account_list", fc.subs_fail},
                             Collector{"invitee_assets", "invitee_assets", fc.invitees_fail}}) {
    SCOPED_TRACE(c.collector);
    EXPECT_EQ(failing.at("coinw_collector_success" + label(c.collector)), c.fails ? 0 : 1);
    for (api::FailureReason r : api::kAllFailureReasons) {
      const std::string reason(api::to_string(r));
      const double n = failing.at(failures(c.endpoint, reason));
      if (c.fails && reason == fc.reason) {
        EXPECT_GE(n, 1) << reason;
      } else {
        EXPECT_EQ(n, 0) << reason << " counted instead of " << fc.reason;
      }
    }
    // Last good data kept, and not re-stamped as fresh.
    EXPECT_EQ(failing.at("coinw_collector_last_success_timestamp_seconds" + label(c.collector)) ==
                  before.at("coinw_collector_last_success_timestamp_seconds" + label(c.collector)),
              c.fails);
  }
  EXPECT_EQ(failing.at(kSubs), 4) << "last good sub-accounts kept";
  EXPECT_EQ(failing.at(kInvitees), 30);
  EXPECT_EQ(testing::count_prefix(failing, "coinw_invitee_current_balance{"), rows_before) << "last good invitees kept";
  EXPECT_EQ(failing.at(paused("sub_account_list")), 0);
  EXPECT_EQ(failing.at(paused("invitee_assets")), 0);

  fc.clear(*this);
  // New data at CoinW while the exporter was failing: recovery must fetch it.
  const int64_t frozen_uid = sim_->dataset_json()["subAccounts"][0]["spotUid"].get<int64_t>();
  sim_->freeze(frozen_uid, !sim_->dataset_json()["subAccounts"][0]["frozenFlag"].get<int>());
  sim_->add_invitees(sim::Quote::usdt, 2);
  const int want_frozen = sim_->dataset_json()["subAccounts"][0]["frozenFlag"].get<int>();
  auto recovered = scrape_checked();
  EXPECT_EQ(recovered.at("coinw_collector_success" + label("sub_accounts")), 1);
  EXPECT_EQ(recovered.at("coinw_collector_success" + label("invitee_assets")), 1);
  EXPECT_GT(recovered.at("coinw_collector_last_success_timestamp_seconds" + label("invitee_assets")),
            before.at("coinw_collector_last_success_timestamp_seconds" + label("invitee_assets")));
  EXPECT_EQ(recovered.at(kInvitees), 32) << "fresh invitee data after recovery";
  EXPECT_EQ(testing::count_prefix(recovered, "coinw_invitee_current_balance{"), 32u);
  EXPECT_EQ(recovered.at("coinw_sub_account_frozen{account=\"demo\",uid=\"" + std::to_string(frozen_uid) + "\"}"),
            want_frozen)
      << "fresh sub-account data after recovery";
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrix, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<FaultCase>& i) { return std::string(i.param.name); });

// A 29001 storm: counted as rate_limited, the endpoints pause (nothing reaches
// CoinW while they do) and resume after the pause. The pause is 3 s here; the
// configuration file cannot go below 30 s, the struct can.
TEST_F(Hardening, StormPausesBothEndpointsThenRecovers) {
  start();
  auto before = scrape_now();
  ASSERT_EQ(before.at(kSubs), 4);

  sim_->set_faults(every_request("storm"));
  auto failing = scrape_checked();
  const auto storm_at = SteadyClock::now();
  for (const char* ep : {"sub_account_list", "invitee_assets"}) {
    SCOPED_TRACE(ep);
    EXPECT_EQ(failing.at(failures(ep, "rate_limited")), 1);
    EXPECT_EQ(failing.at(paused(ep)), 1);
    EXPECT_EQ(failing.at(std::string("coinw_rate_limit_pauses_total{account=\"demo\",endpoint=\"") + ep + "\"}"), 1);
  }
  EXPECT_EQ(failing.at("coinw_collector_success" + label("sub_accounts")), 0);
  EXPECT_EQ(failing.at("coinw_collector_success" + label("invitee_assets")), 0);
  EXPECT_EQ(failing.at(kSubs), 4);
  EXPECT_EQ(failing.at(kInvitees), 30);

  // During the pause, scrapes that would refresh send nothing, even with the
  // storm over. (A scrape whose budget outlasts the pause waits for its end
  // and then sends; these scrapes' budget, 1 s less the 0.5 s offset, ends
  // before it.)
  sim_->set_faults({});
  const uint64_t sent = sim_requests();
  for (int i = 0; i < 3; ++i) {
    auto during = scrape_now(1.0);  // a refresh is due: the last success is old
    ASSERT_LT(SteadyClock::now() - storm_at, kPause) << "the test ran too slowly to observe the pause";
    EXPECT_EQ(during.at(paused("sub_account_list")), 1);
    EXPECT_EQ(during.at(paused("invitee_assets")), 1);
    EXPECT_EQ(during.at(failures("sub_account_list", "rate_limited")), 1) << "a refused send is not a request";
    EXPECT_EQ(during.at(kSubs), 4);
  }
  EXPECT_EQ(sim_requests(), sent) << "requests reached CoinW during the pause";

  std::this_thread::sleep_until(storm_at + kPause);
  auto recovered = scrape_checked();
  EXPECT_GT(sim_requests(), sent);
  EXPECT_EQ(recovered.at(paused("sub_account_list")), 0);
  EXPECT_EQ(recovered.at(paused("invitee_assets")), 0);
  EXPECT_EQ(recovered.at("coinw_collector_success" + label("sub_accounts")), 1);
  EXPECT_EQ(recovered.at("coinw_collector_success" + label("invitee_assets")), 1);
  EXPECT_EQ(sim_->counters().invitee_assets.violations + sim_->counters().sub_account_list.violations, 0u);
}

}  // namespace
}  // namespace coinw
