// The client against the simulator over loopback: real HTTP(S), real signing,
// real rate windows at the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api/client.h"
#include "api/pager.h"
#include "common/timefmt.h"
#include "sim/endpoints.h"
#include "sim/simulator.h"
#include "support/test_ca.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using api::Client;
using api::Endpoint;
using api::FailureReason;

// Records when each request leaves, around the real transport.
class TimedTransport final : public api::Transport {
 public:
  explicit TimedTransport(std::unique_ptr<api::Transport> inner) : inner_(std::move(inner)) {}
  api::Result<api::HttpResponse> send(const api::HttpRequest& r) override {
    {
      std::lock_guard lock(mu_);
      sends_.push_back(SteadyClock::now());
    }
    return inner_->send(r);
  }
  std::vector<TimePoint> sends() {
    std::lock_guard lock(mu_);
    return sends_;
  }

 private:
  std::unique_ptr<api::Transport> inner_;
  std::mutex mu_;
  std::vector<TimePoint> sends_;
};

api::TransportOptions transport_to(const std::string& url) {
  api::TransportOptions o;
  o.base_url = url;
  return o;
}

struct Fixture {
  explicit Fixture(sim::Options o) : sim(std::move(o)) { sim.start(); }
  Client client(api::Transport& t, api::ClientOptions opts = {}, api::ClientObserver* observer = nullptr) {
    return Client({"demo-key", "demo-secret"}, t, gate, opts, observer);
  }
  sim::Simulator sim;
  ratelimit::RateGate gate{SystemClock::instance()};
};

std::map<uint64_t, api::InviteeAsset> fetch_all(Client& c, const std::string& quote, int page_size, int* requests) {
  std::map<uint64_t, api::InviteeAsset> rows;
  api::InviteePager pager(quote, page_size);
  *requests = 0;
  while (!pager.done()) {
    auto page = c.invitee_assets(pager.next_query(), SteadyClock::now() + 60s);
    ++*requests;
    if (!page) {
      ADD_FAILURE() << page.error().message;
      break;
    }
    size_t fresh = 0;
    for (auto& r : page.value().rows) fresh += rows.insert_or_assign(r.uid, r).second;
    pager.on_page(page.value(), fresh);
  }
  return rows;
}

TEST(ClientSim, MultiPageRunWhereTheServerCapsPageSize) {
  sim::Options o;
  o.invitees = 250;
  o.page_size_cap = 100;
  Fixture f(o);
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  auto client = f.client(*transport);
  int requests = 0;
  auto rows = fetch_all(client, "usdc", 1000, &requests);
  EXPECT_EQ(requests, 3);
  auto data = f.sim.dataset_json()["invitees"]["usdc"];
  ASSERT_EQ(rows.size(), data.size());
  for (const auto& expected : data) {
    const auto& got = rows.at(expected["uid"].get<uint64_t>());
    EXPECT_EQ(*got.total_deposit, *api::parse_amount(expected["totalDeposit"].get<std::string>()));
    EXPECT_EQ(*got.total_withdrawal, *api::parse_amount(expected["totalWithdrawal"].get<std::string>()));
    EXPECT_EQ(*got.current_balance, *api::parse_amount(expected["currentBalance"].get<std::string>()));
    EXPECT_EQ(got.update_time, coinw::parse_coinw_time(expected["updateTime"].get<std::string>(), 0));
    if (expected["firstDepositTime"].is_null()) {
      EXPECT_FALSE(got.first_deposit_time);
      EXPECT_FALSE(got.first_deposit_amount);
    } else {
      EXPECT_EQ(got.first_deposit_time, coinw::parse_coinw_time(expected["firstDepositTime"].get<std::string>(), 0));
    }
  }
  EXPECT_EQ(f.sim.counters().invitee_assets.violations, 0u);
}

TEST(ClientSim, SubAccountsMatchTheDataset) {
  Fixture f({});
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  auto client = f.client(*transport);
  auto list = client.sub_accounts(SteadyClock::now() + 10s);
  ASSERT_TRUE(list) << list.error().message;
  auto data = f.sim.dataset_json()["subAccounts"];
  ASSERT_EQ(list.value().rows.size(), data.size());
  EXPECT_EQ(list.value().invalid_rows, 0u);
  for (size_t i = 0; i < data.size(); ++i) {
    const auto& got = list.value().rows[i];
    EXPECT_EQ(got.uid, data[i]["spotUid"].get<uint64_t>());
    EXPECT_EQ(got.nick_name, data[i]["nickName"].get<std::string>());
    EXPECT_EQ(got.frozen, data[i]["frozenFlag"].get<int>() == 1);
    EXPECT_EQ(got.spot_trade_enabled, data[i]["spotTradeFlag"].get<int>() == 1);
    EXPECT_EQ(got.contract_trade_enabled, data[i]["contractTradeFlag"].get<int>() == 1);
  }
}

// The funnel endpoints over HTTP: the simulator checks every signature, the
// volume's over the exact JSON body the client sent.
TEST(ClientSim, FunnelEndpointsSignAndPageAsDocumented) {
  sim::Options o;
  o.now = parse_coinw_time("2026-12-01 10:00:00", 0).value();
  o.quirks = true;
  Fixture f(o);
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  auto client = f.client(*transport);
  const int64_t uid = f.sim.add_signup();
  ASSERT_TRUE(f.sim.book_trade(uid, 250'000'000));
  std::set<uint64_t> signups;
  api::Pager pager(100);
  while (!pager.done()) {
    const auto p = pager.next_query();
    auto page = client.invitee_list({p.page_no, p.page_size, "2017-01-01 00:00:00", "2026-12-02 00:00:00"},
                                    SteadyClock::now() + 30s);
    ASSERT_TRUE(page) << page.error().message;
    size_t fresh = 0;
    for (const auto& r : page.value().rows) fresh += signups.insert(r.uid).second;
    pager.on_page(page.value(), fresh);
  }
  EXPECT_EQ(signups.size(), 251u) << "the dataset's 250 and the new one";
  EXPECT_TRUE(signups.count(static_cast<uint64_t>(uid)));

  api::VolumeQuery q;
  q.first_day = q.last_day = local_day(o.now, 0);
  q.page_size = 1000;
  auto volume = client.invitee_volume(q, SteadyClock::now() + 30s);
  ASSERT_TRUE(volume) << volume.error().message;
  bool found = false;
  for (const auto& r : volume.value().rows) found = found || (r.uid == static_cast<uint64_t>(uid) && r.volume == 2.5);
  EXPECT_TRUE(found);
  EXPECT_EQ(volume.value().invalid_rows, 0u);
  EXPECT_EQ(f.sim.counters().bad_signatures, 0u);
  EXPECT_EQ(f.sim.counters().invitee_volume.requests, 1u);
}

TEST(ClientSim, QuirkyRepresentationsAllParse) {
  sim::Options o;
  o.quirks = true;
  o.invitees = 120;
  Fixture f(o);
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  auto client = f.client(*transport);
  int requests = 0;
  EXPECT_EQ(fetch_all(client, "usdt", 100, &requests).size(), 120u);
  auto list = client.sub_accounts(SteadyClock::now() + 10s);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list.value().invalid_rows, 0u);
}

TEST(ClientSim, WrongSecretIsAnAuthFailure) {
  Fixture f({});
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  Client client({"demo-key", "not-the-secret"}, *transport, f.gate, {});
  auto page = client.invitee_assets({}, SteadyClock::now() + 10s);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().reason, FailureReason::auth);
  auto list = client.sub_accounts(SteadyClock::now() + 10s);
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().reason, FailureReason::auth);
}

TEST(ClientSim, HttpsVerifiedWithAThrowawayCa) {
  testing::TestCa ca;
  sim::Options o;
  o.tls_cert = ca.cert_file();
  o.tls_key = ca.key_file();
  Fixture f(o);
  ASSERT_EQ(f.sim.url().rfind("https://", 0), 0u);

  auto options = transport_to(f.sim.url());
  options.ca_file = ca.ca_file();
  auto trusted = api::make_http_transport(options);
  auto client = f.client(*trusted);
  auto page = client.invitee_assets({}, SteadyClock::now() + 10s);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_FALSE(page.value().rows.empty());

  options.ca_file = ca.other_ca_file();
  auto untrusted = api::make_http_transport(options);
  auto refused = f.client(*untrusted).invitee_assets({}, SteadyClock::now() + 10s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, FailureReason::tls);
}

TEST(ClientSim, HttpsRefusesACertificateForAnotherHost) {
  testing::TestCa ca;  // the certificate names 127.0.0.1 and localhost only
  sim::Options o;
  o.host = "127.0.0.2";
  o.tls_cert = ca.cert_file();
  o.tls_key = ca.key_file();
  Fixture f(o);
  auto options = transport_to("https://127.0.0.2:" + std::to_string(f.sim.port()));
  options.ca_file = ca.ca_file();
  auto transport = api::make_http_transport(options);
  auto page = f.client(*transport).invitee_assets({}, SteadyClock::now() + 10s);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().reason, FailureReason::tls);
}

struct FallbackObserver final : api::ClientObserver {
  void on_request(Endpoint, Duration, const std::optional<FailureReason>&) override {}
  void on_signature_fallback(Endpoint) override { ++fallbacks; }
  int fallbacks = 0;
};

// This month in the simulator's zone (UTC here), so windows hold recent movements.
api::InviteeQuery this_month(const sim::Simulator& s, int page_no = 1) {
  const std::string month = format_coinw_time(s.now(), 0).substr(0, 7);
  api::InviteeQuery q;
  q.page_no = page_no;
  q.start_time = month + "-01 00:00:00";
  q.end_time = format_coinw_time(s.now(), 0);
  return q;
}

sim::Options sign_form_options(api::QueryForm form) {
  sim::Options o;
  o.sign_form = form;
  o.now = *parse_coinw_time("2026-06-15 10:00:00", 0);
  return o;
}

TEST(ClientSimSigning, RawSimulatorTakesWindowsWithoutFallback) {
  Fixture f(sign_form_options(api::QueryForm::raw));
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  FallbackObserver observer;
  auto client = f.client(*transport, {}, &observer);
  ASSERT_TRUE(client.invitee_assets({}, SteadyClock::now() + 10s));
  for (int page = 1; page <= 2; ++page) {
    auto r = client.invitee_assets(this_month(f.sim, page), SteadyClock::now() + 10s);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_FALSE(r.value().rows.empty());
  }
  EXPECT_EQ(observer.fallbacks, 0);
  EXPECT_EQ(f.sim.counters().bad_signatures, 0u);
  EXPECT_EQ(f.sim.counters().invitee_assets.requests, 3u);
}

TEST(ClientSimSigning, EncodedSimulatorMakesTheClientFallBackOnce) {
  Fixture f(sign_form_options(api::QueryForm::encoded));
  auto transport = api::make_http_transport(transport_to(f.sim.url()));
  FallbackObserver observer;
  auto client = f.client(*transport, {}, &observer);
  auto plain = client.invitee_assets({}, SteadyClock::now() + 10s);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(f.sim.counters().bad_signatures, 0u) << "nothing to encode: both readings agree";

  auto first = client.invitee_assets(this_month(f.sim), SteadyClock::now() + 10s);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(observer.fallbacks, 1);
  EXPECT_EQ(f.sim.counters().bad_signatures, 1u);
  EXPECT_EQ(f.sim.counters().invitee_assets.requests, 3u);
  // The window's totals are the simulator's: the retried request was answered normally.
  const auto data = f.sim.dataset_json()["invitees"]["usdt"];
  const auto& rows = first.value().rows;
  ASSERT_EQ(rows.size(), 100u);
  int depositors = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].uid, data[i]["uid"].get<uint64_t>());
    int64_t deposits = 0;
    for (const auto& m : data[i]["history"])
      if (m["type"] == "deposit" && m["time"].get<std::string>() >= *this_month(f.sim).start_time)
        deposits += *sim::parse_amount(m["amount"].get<std::string>());
    EXPECT_EQ(*rows[i].total_deposit, *api::parse_amount(sim::format_amount(deposits))) << rows[i].uid;
    depositors += deposits > 0;
  }
  EXPECT_GT(depositors, 0);

  for (int page = 2; page <= 3; ++page)
    ASSERT_TRUE(client.invitee_assets(this_month(f.sim, page), SteadyClock::now() + 10s));
  api::InviteeQuery one = this_month(f.sim);
  one.uid = data[3]["uid"].get<uint64_t>();
  auto single = client.invitee_assets(one, SteadyClock::now() + 10s);
  ASSERT_TRUE(single) << single.error().message;
  ASSERT_EQ(single.value().rows.size(), 1u);
  EXPECT_EQ(single.value().rows[0].uid, *one.uid);
  EXPECT_EQ(observer.fallbacks, 1);
  EXPECT_EQ(f.sim.counters().bad_signatures, 1u) << "later windows go straight in the encoded form";
  EXPECT_EQ(f.sim.counters().invitee_assets.requests, 6u);
  EXPECT_EQ(f.sim.counters().invitee_assets.violations, 0u);
}

// Spoils the signature of windowed requests only: a key that may read totals but
// not windows, say. No form of the query can fix that.
class SpoiledWindows final : public api::Transport {
 public:
  explicit SpoiledWindows(std::unique_ptr<api::Transport> inner) : inner_(std::move(inner)) {}
  api::Result<api::HttpResponse> send(const api::HttpRequest& r) override {
    api::HttpRequest copy = r;
    if (sim::find_param(r.query, "startTime"))
      for (auto& [k, v] : copy.headers)
        if (k == "sign") v = "AAAA" + v.substr(4);
    return inner_->send(copy);
  }

 private:
  std::unique_ptr<api::Transport> inner_;
};

TEST(ClientSimSigning, WhenTheEncodedFormFailsTooItIsAnAuthErrorNotRetriedLater) {
  Fixture f(sign_form_options(api::QueryForm::encoded));
  SpoiledWindows transport(api::make_http_transport(transport_to(f.sim.url())));
  FallbackObserver observer;
  auto client = f.client(transport, {}, &observer);
  ASSERT_TRUE(client.invitee_assets({}, SteadyClock::now() + 10s));
  auto r = client.invitee_assets(this_month(f.sim), SteadyClock::now() + 10s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::auth);
  EXPECT_EQ(f.sim.counters().bad_signatures, 2u) << "raw, then encoded";
  r = client.invitee_assets(this_month(f.sim), SteadyClock::now() + 10s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::auth);
  EXPECT_EQ(f.sim.counters().bad_signatures, 3u) << "no second fallback";
  EXPECT_EQ(f.sim.counters().invitee_assets.requests, 4u);
  EXPECT_EQ(observer.fallbacks, 0);
}

// Steady-state rate of a paging run: the requests after the first burst of
// `limit`, over the time from the first send to the last. (Counting the first
// burst too would overstate the rate a window limit allows.)
double sustained_rate(const std::vector<TimePoint>& sends, int limit) {
  std::chrono::duration<double> span = sends.back() - sends.front();
  return (static_cast<double>(sends.size()) - limit) / span.count();
}

void long_paging_run(int delay_max_ms, int clients) {
  sim::Options o;
  o.invitees = 6000;
  o.page_size_cap = 100;
  o.delay_max_ms = delay_max_ms;
  Fixture f(o);
  // A transport carries one request at a time: one per client, as the exporter has one per lane.
  std::vector<std::unique_ptr<TimedTransport>> transports;
  for (int c = 0; c < clients; ++c)
    transports.push_back(std::make_unique<TimedTransport>(api::make_http_transport(transport_to(f.sim.url()))));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto client = f.client(*transports[c]);
      api::InviteePager pager(c % 2 ? "usdc" : "usdt", 100);
      for (int i = 0; i < 60 / clients; ++i) {
        auto page = client.invitee_assets(pager.next_query(), SteadyClock::now() + 60s);
        if (!page) {
          ++failures;
          continue;
        }
        pager.on_page(page.value(), page.value().rows.size());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<TimePoint> sends;
  for (auto& t : transports) {
    const auto own = t->sends();
    sends.insert(sends.end(), own.begin(), own.end());
  }
  std::sort(sends.begin(), sends.end());
  auto counters = f.sim.counters();
  double rate = sustained_rate(sends, 5);
  std::printf(
      "long paging run: %zu requests, delay 0-%d ms, %d client(s): %.3f req/s sustained "
      "(%.1f%% of the documented 5/s), %llu violations at the simulator\n",
      sends.size(), delay_max_ms, clients, rate, rate / 5 * 100,
      static_cast<unsigned long long>(counters.invitee_assets.violations));
  EXPECT_EQ(counters.invitee_assets.violations, 0u);
  EXPECT_EQ(counters.invitee_assets.requests, 60u);
  EXPECT_EQ(failures.load(), 0);
  // The rate is a figure to read, not a pass condition (timings vary by machine);
  // it can never exceed the limit, whatever the timing.
  EXPECT_LE(rate, 5.0);
}

TEST(ClientSimRate, LongPagingRunOnLoopbackHasNoViolationsAtFullRate) { long_paging_run(0, 1); }

TEST(ClientSimRate, RandomNetworkDelayStillNoViolations) { long_paging_run(100, 2); }

}  // namespace
}  // namespace coinw
