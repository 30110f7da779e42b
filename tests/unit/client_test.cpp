#include "api/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "api/signing.h"
#include "common/timefmt.h"
#include "support/fake_clock.h"

namespace coinw::api {
namespace {

using namespace std::chrono_literals;

// Records requests; answers from a queue and takes `latency` of fake time.
class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(testing::FakeClock& clock) : clock_(clock) {}
  Result<HttpResponse> send(const HttpRequest& r) override {
    requests.push_back(r);
    send_times.push_back(clock_.now());
    clock_.advance(latency);
    if (answers.empty()) return HttpResponse{200, R"({"code":"0","data":{"total":0,"list":[]}})", {}, {}};
    auto a = answers.front();
    answers.pop_front();
    return a;
  }
  std::vector<HttpRequest> requests;
  std::vector<TimePoint> send_times;
  std::deque<Result<HttpResponse>> answers;
  Duration latency = 2ms;

 private:
  testing::FakeClock& clock_;
};

struct RecordingObserver final : ClientObserver {
  void on_request(Endpoint, Duration, const std::optional<FailureReason>& f) override { failures.push_back(f); }
  void on_pause(Endpoint, std::chrono::seconds s) override { pauses.push_back(s); }
  void on_invalid_rows(Endpoint, size_t n) override { invalid += n; }
  void on_format(Endpoint, const FormatReport& f) override { formats.push_back(f); }
  void on_signature_fallback(Endpoint) override { ++fallbacks; }
  void on_clock_skew(Endpoint, double s) override { skews.push_back(s); }
  std::vector<std::optional<FailureReason>> failures;
  std::vector<double> skews;
  int fallbacks = 0;
  std::vector<FormatReport> formats;
  std::vector<std::chrono::seconds> pauses;
  size_t invalid = 0;
};

class ClientTest : public ::testing::Test {
 protected:
  testing::FakeClock clock;
  FakeTransport transport{clock};
  ratelimit::RateGate gate{clock};
  RecordingObserver observer;
  Client client{{"testkey", "testsecret"}, transport, gate, ClientOptions{}, &observer};
  TimePoint far() { return clock.now() + 1h; }
};

std::string header(const HttpRequest& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<missing>";
}

TEST_F(ClientTest, InviteeRequestIsSignedByteForByte) {
  // The fake wall clock starts at 1700000000000 ms: the facts sheet's vector.
  ASSERT_TRUE(client.invitee_assets({"usdt", 1, 100, {}, {}, {}}, far()));
  ASSERT_EQ(transport.requests.size(), 1u);
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/api/v3/patener/openapi/v1/partner/invitation/user/assets");
  EXPECT_EQ(join_raw(r.query), "pageNo=1&pageSize=100&quote=usdt");
  EXPECT_EQ(header(r, "api_key"), "testkey");
  EXPECT_EQ(header(r, "timestamp"), "1700000000000");
  EXPECT_EQ(header(r, "sign"), "H8bYfyKbw3DM1m4MS9ybPgsmR+vtx6rbRuexmElMiEo=");
  EXPECT_EQ(r.body, "");
}

TEST_F(ClientTest, OptionalParamsAreSentInByteOrderAndSignedRaw) {
  InviteeQuery q{"usdc", 2, 50, 42, "2024-01-01 00:00:00", "2024-02-01 00:00:00"};
  ASSERT_TRUE(client.invitee_assets(q, far()));
  const auto& r = transport.requests[0];
  EXPECT_EQ(join_raw(r.query),
            "endTime=2024-02-01 00:00:00&pageNo=2&pageSize=50&quote=usdc&startTime=2024-01-01 00:00:00&uid=42");
  EXPECT_EQ(header(r, "sign"), futures_sign("testsecret", 1700000000000, "GET", r.path, r.query, ""));
}

// The vectors of docs/coinw-api.md, as the client builds them.
const InviteeQuery kWindow{"usdt", 1, 100, {}, "2026-11-01 00:00:00", "2026-11-30 23:59:59"};
constexpr const char* kWindowRawSign = "ZFggc/UNabUOznEzEItl9JsfzESofHzca7gZCmmFTco=";
constexpr const char* kWindowEncodedSign = "2sjjbvz2QVBpVby+0/+W0vc2nM16fvL6MBTLYGQgO38=";
const char* kBadSign = R"({"code":"6001","msg":"invalid signature"})";

TEST_F(ClientTest, WindowedRequestMatchesTheVector) {
  ASSERT_TRUE(client.invitee_assets(kWindow, far()));
  const auto& r = transport.requests[0];
  EXPECT_EQ(join_raw(r.query),
            "endTime=2026-11-30 23:59:59&pageNo=1&pageSize=100&quote=usdt&startTime=2026-11-01 00:00:00");
  EXPECT_EQ(join_encoded(r.query),
            "endTime=2026-11-30%2023%3A59%3A59&pageNo=1&pageSize=100&quote=usdt&startTime=2026-11-01%2000%3A00%3A00");
  EXPECT_EQ(header(r, "timestamp"), "1700000000000");
  EXPECT_EQ(header(r, "sign"), kWindowRawSign);
}

TEST_F(ClientTest, UidRequestMatchesTheVector) {
  ASSERT_TRUE(client.invitee_assets({"usdt", 1, 1, 12345678, {}, {}}, far()));
  const auto& r = transport.requests[0];
  EXPECT_EQ(join_raw(r.query), "pageNo=1&pageSize=1&quote=usdt&uid=12345678");
  EXPECT_EQ(header(r, "timestamp"), "1700000000000");
  EXPECT_EQ(header(r, "sign"), "sZbiPA9tYz1p8rYimjkNQ2liPnzOdwxD9LaQxIhtOsA=");
}

TEST_F(ClientTest, VolumeRequestSignsTheBodyItSends) {
  VolumeQuery q;
  q.first_day = *parse_coinw_date("2026-11-01");
  q.last_day = *parse_coinw_date("2026-11-30");
  EXPECT_EQ(volume_request_body(q), R"({"endTime":"2026-11-30","pageNo":1,"pageSize":1000,"startTime":"2026-11-01"})");
  transport.answers.push_back(
      HttpResponse{200,
                   R"({"code":0,"data":{"total":2,"list":[{"uid":7,"volume":"12.5","time":"2026-11-30"},)"
                   R"({"uid":8,"volume":"3","time":"2026-10-31"}]}})",
                   {},
                   {}});
  auto page = client.invitee_volume(q, far());
  ASSERT_TRUE(page) << page.error().message;
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/api/v3/patener/openapi/v1/partner/invitation/user/volume/list");
  EXPECT_TRUE(r.query.empty());
  EXPECT_EQ(r.body, volume_request_body(q));
  EXPECT_EQ(header(r, "timestamp"), "1700000000000");
  EXPECT_EQ(header(r, "sign"), "7Ep0CdX/BXZApWirFtTy8REunUx42xd5YrqY1PYZBM4=");
  ASSERT_EQ(page.value().rows.size(), 1u) << "a day not asked for is not added";
  EXPECT_EQ(page.value().rows[0].uid, 7u);
  EXPECT_DOUBLE_EQ(page.value().rows[0].volume, 12.5);
  EXPECT_EQ(page.value().invalid_rows, 1u);
}

TEST_F(ClientTest, RegistrationRequestAlwaysSendsItsRange) {
  RegistrationQuery q;
  q.start_time = "2020-01-01 00:00:00";
  q.end_time = "2026-12-04 00:00:00";
  ASSERT_TRUE(client.invitee_list(q, far()));
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/api/v3/patener/openapi/v1/partner/invitation/user/list");
  EXPECT_EQ(join_raw(r.query), "endTime=2026-12-04 00:00:00&pageNo=1&pageSize=1000&startTime=2020-01-01 00:00:00");
  EXPECT_EQ(header(r, "sign"), "JeZ31AAWBWClZvD3iWjyak5kVCWuBV1qRPIeE/ouYm0=");
}

TEST_F(ClientTest, TheFunnelEndpointsShareTheInviteeLimiter) {
  RegistrationQuery reg{1, 10, "2020-01-01 00:00:00", "2026-12-04 00:00:00"};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(client.invitee_assets({}, far()));
    ASSERT_TRUE(client.invitee_list(reg, far()));
    ASSERT_TRUE(client.invitee_volume({}, far()));
  }
  auto& t = transport.send_times;
  for (size_t i = 5; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 5], 1s) << "five per second for the three";
}

TEST_F(ClientTest, BadSignatureOnAWindowFallsBackToTheEncodedFormAndKeepsIt) {
  transport.latency = Duration::zero();  // the wall clock stays at the vectors' timestamp
  ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  auto r = client.invitee_assets(kWindow, far());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(transport.requests.size(), 3u);
  EXPECT_EQ(header(transport.requests[1], "sign"), kWindowRawSign);
  EXPECT_EQ(header(transport.requests[2], "timestamp"), "1700000000000");
  EXPECT_EQ(header(transport.requests[2], "sign"), kWindowEncodedSign);
  EXPECT_EQ(transport.requests[2].query, transport.requests[1].query)
      << "the URL is the same, only the signature differs";
  EXPECT_EQ(observer.fallbacks, 1);
  EXPECT_EQ(observer.failures.size(), 3u) << "the refused try was sent, so it is counted";

  // Later windows go straight in the encoded form; plain requests are unaffected.
  ASSERT_TRUE(client.invitee_assets(kWindow, far()));
  ASSERT_EQ(transport.requests.size(), 4u);
  EXPECT_EQ(header(transport.requests[3], "sign"), kWindowEncodedSign);
  ASSERT_TRUE(client.invitee_assets({}, far()));
  EXPECT_EQ(header(transport.requests[4], "sign"), "H8bYfyKbw3DM1m4MS9ybPgsmR+vtx6rbRuexmElMiEo=");
  EXPECT_EQ(observer.fallbacks, 1);
}

TEST_F(ClientTest, NoFallbackBeforeAPlainRequestSucceeded) {
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  auto r = client.invitee_assets(kWindow, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::auth);
  EXPECT_EQ(transport.requests.size(), 1u) << "the key itself may be wrong";
  // Once a plain request passed, the next refused window does try it.
  ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  ASSERT_TRUE(client.invitee_assets(kWindow, far()));
  EXPECT_EQ(transport.requests.size(), 4u);
  EXPECT_EQ(observer.fallbacks, 1);
}

TEST_F(ClientTest, PlainRequestsAreNeverRetried) {
  ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  EXPECT_FALSE(client.invitee_assets({"usdt", 1, 1, 12345678, {}, {}}, far()));
  EXPECT_EQ(transport.requests.size(), 2u);
}

TEST_F(ClientTest, WhenTheEncodedFormFailsTooTheFallbackIsNotTriedAgain) {
  ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  auto r = client.invitee_assets(kWindow, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::auth);
  EXPECT_EQ(transport.requests.size(), 3u);
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  ASSERT_FALSE(client.invitee_assets(kWindow, far()));
  EXPECT_EQ(transport.requests.size(), 4u);
  EXPECT_EQ(header(transport.requests[3], "sign"),
            futures_sign("testsecret", std::stoll(header(transport.requests[3], "timestamp")), "GET",
                         transport.requests[3].path, transport.requests[3].query, ""))
      << "still our reading: raw values";
  EXPECT_EQ(observer.fallbacks, 0);
}

TEST_F(ClientTest, TheRetryTakesItsOwnPermitWithinTheDeadline) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  // The fifth request fills the window: no permit for a retry within 100 ms.
  auto r = client.invitee_assets(kWindow, clock.now() + 100ms);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().sent);
  EXPECT_EQ(transport.requests.size(), 5u);
  auto& t = transport.send_times;
  for (size_t i = 5; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 5], 1s);
  // Nothing was learnt: the next refused window tries the fallback again.
  transport.answers.push_back(HttpResponse{200, kBadSign, {}, {}});
  ASSERT_TRUE(client.invitee_assets(kWindow, far()));
  EXPECT_EQ(transport.requests.size(), 7u);
  for (size_t i = 5; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 5], 1s);
  EXPECT_EQ(observer.fallbacks, 1);
}

TEST_F(ClientTest, SubAccountRequestUsesSpotScheme) {
  transport.answers.push_back(HttpResponse{200, R"({"code":"200","data":[],"msg":"SUCCESS"})", {}, {}});
  ASSERT_TRUE(client.sub_accounts(far()));
  const auto& r = transport.requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/api/v1/private");
  EXPECT_EQ(join_raw(r.query), "command=subAccount_list&api_key=testkey&sign=26C011E5BFD2CF39F1CFE64CC3FC8293");
  EXPECT_TRUE(r.headers.empty());
}

TEST_F(ClientTest, NeverMoreThanFivePerWindowWithoutSleeping) {
  auto start = clock.now();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client.invitee_assets({}, far()));
  // 20 requests at 5 per (1 s + margin + latency): the fake clock moved, nobody slept.
  auto& t = transport.send_times;
  for (size_t i = 5; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 5], 1s);
  EXPECT_LT(clock.now() - start, 4s);
  EXPECT_GT(clock.now() - start, 3s);
}

TEST_F(ClientTest, RefusesWhenTheBudgetCannotFitARequest) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.invitee_assets({}, far()));
  auto r = client.invitee_assets({}, clock.now() + 100ms);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().sent);
  EXPECT_EQ(transport.requests.size(), 5u);
  EXPECT_EQ(observer.failures.size(), 5u) << "an unsent request is not an API failure";
}

TEST_F(ClientTest, RateLimitAnswerPausesTheEndpointThirtySeconds) {
  transport.answers.push_back(HttpResponse{200, R"({"code":"29001","msg":"API access frequently"})", {}, {}});
  auto r = client.invitee_assets({}, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::rate_limited);
  ASSERT_EQ(observer.pauses.size(), 1u);
  EXPECT_EQ(observer.pauses[0], 30s);
  auto paused = client.paused_until(Endpoint::invitee_assets);
  ASSERT_TRUE(paused);
  // Within a scrape budget the paused endpoint refuses at once, sending nothing.
  auto again = client.invitee_assets({}, clock.now() + 10s);
  ASSERT_FALSE(again);
  EXPECT_FALSE(again.error().sent);
  EXPECT_EQ(again.error().reason, FailureReason::rate_limited);
  EXPECT_EQ(transport.requests.size(), 1u);
  // The other endpoint is not paused.
  transport.answers.push_back(HttpResponse{200, R"({"code":"200","data":[]})", {}, {}});
  EXPECT_TRUE(client.sub_accounts(clock.now() + 10s));
  // After the pause, requests flow again.
  clock.advance(31s);
  EXPECT_TRUE(client.invitee_assets({}, clock.now() + 10s));
}

TEST_F(ClientTest, Http429HonoursALongerRetryAfter) {
  transport.answers.push_back(HttpResponse{429, "", std::string("120"), {}});
  auto r = client.invitee_assets({}, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::rate_limited);
  ASSERT_EQ(observer.pauses.size(), 1u);
  EXPECT_EQ(observer.pauses[0], 120s);
  transport.answers.push_back(HttpResponse{429, "", std::string("5"), {}});
  clock.advance(121s);
  ASSERT_FALSE(client.invitee_assets({}, far()));
  EXPECT_EQ(observer.pauses.back(), 30s) << "a shorter Retry-After never shortens the minimum pause";
}

TEST_F(ClientTest, TransportErrorsPassThroughAndAreObserved) {
  transport.answers.push_back(ApiError{FailureReason::tls, "handshake failed", "", 0, {}});
  auto r = client.invitee_assets({}, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::tls);
  ASSERT_EQ(observer.failures.size(), 1u);
  EXPECT_EQ(observer.failures[0], FailureReason::tls);
}

ApiError stale() {
  ApiError e{FailureReason::network, "HTTP request failed: Failed to read connection", "", 0, {}};
  e.stale_connection = true;
  return e;
}

// A server closing an idle kept-alive connection just as a request goes out is
// no failure of CoinW's: the request goes again on a new connection.
TEST_F(ClientTest, AStaleKeptAliveConnectionIsRetriedWithAPermitOfItsOwn) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(stale());
  ASSERT_TRUE(client.invitee_assets({}, far()));
  ASSERT_EQ(transport.requests.size(), 6u);
  // CoinW may have counted the lost one: the retry waits for the window like a sixth request.
  EXPECT_GT(transport.send_times[5] - transport.send_times[0], 1s);
  EXPECT_NE(header(transport.requests[5], "timestamp"), header(transport.requests[4], "timestamp"));
  EXPECT_EQ(observer.failures.size(), 5u) << "the request is observed once, by its outcome";
  EXPECT_FALSE(observer.failures.back());
}

TEST_F(ClientTest, AStaleConnectionIsRetriedOnceAndOnlyWithinTheBudget) {
  transport.answers.push_back(stale());
  transport.answers.push_back(stale());
  auto r = client.sub_accounts(far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::network);
  EXPECT_EQ(transport.requests.size(), 2u);

  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.invitee_assets({}, far()));
  transport.answers.push_back(stale());
  auto page = client.invitee_assets({}, clock.now() + 100ms);
  ASSERT_FALSE(page);
  EXPECT_FALSE(page.error().sent) << "no permit for the retry within the budget: resumed on the next scrape";
  EXPECT_EQ(transport.requests.size(), 7u);
}

// Rows of `good` readable invitees and `bad` with an unreadable uid.
std::string page_body(int good, int bad) {
  std::string list;
  for (int i = 0; i < good + bad; ++i)
    list += (i ? "," : "") + (i < good ? R"({"uid":)" + std::to_string(i + 1) + "}" : std::string(R"({"uid":"x"})"));
  return R"({"code":"0","data":{"total":)" + std::to_string(good + bad) + R"(,"list":[)" + list + "]}}";
}

TEST_F(ClientTest, InvalidRowsAreReported) {
  transport.answers.push_back(HttpResponse{200, page_body(10, 1), {}, {}});
  auto r = client.invitee_assets({}, far());
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().rows.size(), 10u);
  EXPECT_EQ(observer.invalid, 1u);
  ASSERT_EQ(observer.formats.size(), 1u);
  EXPECT_EQ(observer.formats[0].invalid_fields.at("uid"), 1u);
}

TEST_F(ClientTest, AMostlyUnreadablePageIsAnUnexpectedFormatFailure) {
  transport.answers.push_back(HttpResponse{200, page_body(9, 2), {}, {}});
  auto r = client.invitee_assets({}, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::unexpected_format);
  ASSERT_EQ(observer.failures.size(), 1u);
  EXPECT_EQ(observer.failures[0], FailureReason::unexpected_format);
  ASSERT_EQ(observer.formats.size(), 1u) << "the fields are counted even though the page is refused";
  EXPECT_EQ(observer.formats[0].invalid_fields.at("uid"), 2u);
}

TEST_F(ClientTest, AccountsWithTheSameKeyShareTheLimit) {
  Client twin{{"testkey", "testsecret"}, transport, gate, ClientOptions{}, nullptr};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((i % 2 ? twin : client).invitee_assets({}, far()));
  auto& t = transport.send_times;
  for (size_t i = 5; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 5], 1s);
}

// CoinW limits per user: two keys of one user (say affiliate and master) share
// the user's limiters when the accounts name the same user (issue 9).
TEST_F(ClientTest, KeysOfOneUserShareItsLimits) {
  ClientOptions alice;
  alice.user = "alice";
  Client affiliate{{"key-a", "secret-a"}, transport, gate, alice, nullptr};
  Client master{{"key-b", "secret-b"}, transport, gate, alice, nullptr};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((i % 2 ? master : affiliate).invitee_assets({}, far()));
  auto& t = transport.send_times;
  for (size_t i = 5; i < t.size(); ++i) EXPECT_GT(t[i] - t[i - 5], 1s);
}

TEST_F(ClientTest, DifferentUsersKeepSeparateLimits) {
  ClientOptions alice, bob;
  alice.user = "alice";
  bob.user = "bob";
  Client a{{"testkey", "testsecret"}, transport, gate, alice, nullptr};
  Client b{{"testkey", "testsecret"}, transport, gate, bob, nullptr};
  const TimePoint t0 = clock.now();
  transport.latency = Duration::zero();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((i % 2 ? b : a).invitee_assets({}, far()));
  EXPECT_EQ(clock.now(), t0) << "five each fit in one window";
}

TEST_F(ClientTest, ErrorMessagesNeverContainTheSecret) {
  transport.answers.push_back(HttpResponse{200, R"({"code":"6001","msg":"invalid signature"})", {}, {}});
  auto r = client.invitee_assets({}, far());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("testsecret"), std::string::npos);
}

// The fake wall clock reads 1700000000 s (Tue, 14 Nov 2023 22:13:20 GMT) at the send.
TEST_F(ClientTest, ClockSkewFromTheDateOfEveryAnswerRefusalsToo) {
  const std::string ok = R"({"code":"0","data":{"total":0,"list":[]}})";
  transport.latency = 400ms;
  transport.answers.push_back(HttpResponse{200, ok, {}, "Tue, 14 Nov 2023 22:13:30 GMT"});  // 10 s ahead
  // A refusal for a stale timestamp is when the skew matters most.
  transport.answers.push_back(
      HttpResponse{200, R"({"code":"6000","msg":"timestamp expired"})", {}, "Tue, 14 Nov 2023 22:13:10 GMT"});
  ASSERT_TRUE(client.invitee_assets({}, far()));
  EXPECT_FALSE(client.invitee_assets({}, far()));
  ASSERT_EQ(observer.skews.size(), 2u);
  // The Date's second, at its middle, against the middle of the request.
  EXPECT_NEAR(observer.skews[0], 10.5 - 0.2, 1e-6);
  EXPECT_NEAR(observer.skews[1], -20 + 10.5 - 0.4 - 0.2, 1e-6) << "sent 0.4 s after the first";
}

TEST_F(ClientTest, NoClockSkewWithoutAReadableDate) {
  for (const char* date : {"", "Tuesday, 14-Nov-23 22:13:30 GMT", "Tue Nov 14 22:13:30 2023",
                           "Tue, 31 Nov 2023 22:13:30 GMT", "Tue, 14 Nov 2023 22:13:30 UTC"})
    transport.answers.push_back(HttpResponse{200, "{}", {}, std::string(date)});
  transport.answers.push_back(HttpResponse{200, "{}", {}, std::nullopt});
  transport.answers.push_back(ApiError{FailureReason::network, "down", "", 0, {}});
  for (int i = 0; i < 7; ++i) client.sub_accounts(far());
  EXPECT_TRUE(observer.skews.empty()) << "an obsolete or impossible Date is no measurement";
}

}  // namespace
}  // namespace coinw::api
