// The simulator as a peer sees it: a real server on an ephemeral loopback port and
// a plain httplib client signing with src/api/signing.h.
#include <gtest/gtest.h>

#include <httplib.h>
#include "support/raw_http.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/signing.h"
#include "common/timefmt.h"
#include "sim/simulator.h"
#include "support/test_ca.h"

namespace coinw::sim {
namespace {

using nlohmann::json;
constexpr const char* kInvitee = "/api/v3/patener/openapi/v1/partner/invitation/user/assets";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SimServerTest : public ::testing::Test {
 protected:
  void start(Options o = {}) {
    o.invitees = 150;
    sim_ = std::make_unique<Simulator>(o);
    sim_->start();
    cli_ = std::make_unique<httplib::Client>("127.0.0.1", sim_->port());
    cli_->set_read_timeout(std::chrono::seconds(3));
  }

  httplib::Result futures_get(const api::QueryParams& params, int64_t ts = now_ms(),
                              const std::string& secret = "demo-secret", api::QueryForm form = api::QueryForm::raw) {
    std::string sign = api::futures_sign(secret, ts, "GET", kInvitee, params, "", form);
    std::string target = kInvitee;
    if (!params.empty()) target += "?" + api::join_encoded(params);
    return cli_->Get(target, {{"api_key", "demo-key"}, {"timestamp", std::to_string(ts)}, {"sign", sign}});
  }

  httplib::Result spot_post(const std::string& key = "demo-key", const std::string& secret = "demo-secret") {
    api::QueryParams params = {{"command", "subAccount_list"}, {"api_key", key}};
    std::string target =
        "/api/v1/private?command=subAccount_list&api_key=" + key + "&sign=" + api::spot_sign(params, key, secret);
    return cli_->Post(target, "", "application/json");
  }

  static json body(const httplib::Result& r) { return json::parse(r->body); }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<httplib::Client> cli_;
};

// What `curl -X POST url` sends: no Content-Length, no body.
TEST_F(SimServerTest, AdminPostWithoutABodyIsServed) {
  start();
  const auto uid = sim_->dataset_json()["subAccounts"][0]["spotUid"].get<int64_t>();
  const std::string answer =
      testing::raw_http(sim_->port(), "POST /admin/sub-accounts/" + std::to_string(uid) +
                                          "/freeze HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_TRUE(sim_->dataset_json()["subAccounts"][0]["frozenFlag"].get<int>() == 1);
}

TEST_F(SimServerTest, SignedFuturesRequestReturnsTheRightPage) {
  start();
  auto r = futures_get({{"pageNo", "2"}, {"pageSize", "7"}, {"quote", "usdc"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto j = body(r);
  EXPECT_EQ(j["code"], "0");
  EXPECT_EQ(j["data"]["total"], 150);
  auto expected = sim_->dataset_json()["invitees"]["usdc"];
  ASSERT_EQ(j["data"]["list"].size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    const auto& row = j["data"]["list"][i];
    const auto& want = expected[7 + i];
    EXPECT_EQ(row["uid"], want["uid"]);
    for (const char* f :
         {"totalDeposit", "totalWithdrawal", "currentBalance", "firstDepositAmount", "firstDepositTime", "updateTime"})
      EXPECT_EQ(row[f], want[f]) << f;
  }
  EXPECT_EQ(sim_->counters().invitee_assets.requests, 1u);
}

TEST_F(SimServerTest, TimeWindowLimitsTotalsButNotBalance) {
  Options o;
  o.time_zone_offset = "+08:00";
  start(o);
  // Pick an invitee with several movements and cut the window between two of them.
  json inv, data = sim_->dataset_json();
  for (const auto& row : data["invitees"]["usdt"])
    if (row["history"].size() >= 3) inv = row;
  ASSERT_FALSE(inv.is_null());
  std::string from = inv["history"][1]["time"], to = inv["history"].back()["time"];
  int64_t dep = 0, wd = 0;
  for (const auto& m : inv["history"]) {
    std::string t = m["time"];
    if (t < from || t > to) continue;  // same format and zone: string order is time order
    (m["type"] == "deposit" ? dep : wd) += *parse_amount(m["amount"].get<std::string>());
  }
  auto r = futures_get({{"uid", std::to_string(inv["uid"].get<int64_t>())}, {"startTime", from}, {"endTime", to}});
  ASSERT_TRUE(r);
  auto j = body(r);
  ASSERT_EQ(j["data"]["total"], 1) << r->body;
  const auto& row = j["data"]["list"][0];
  EXPECT_EQ(row["totalDeposit"], format_amount(dep));
  EXPECT_EQ(row["totalWithdrawal"], format_amount(wd));
  EXPECT_EQ(row["currentBalance"], inv["currentBalance"]);
  EXPECT_EQ(row["firstDepositTime"], inv["firstDepositTime"]);
}

TEST_F(SimServerTest, BadSignatureIsRefusedAndCounted) {
  start();
  auto r = futures_get({{"pageNo", "1"}}, now_ms(), "wrong-secret");
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "6001");
  EXPECT_EQ(sim_->counters().bad_signatures, 1u);
  // Signing a different query order than the one sent must fail too.
  int64_t ts = now_ms();
  auto sign = api::futures_sign("demo-secret", ts, "GET", kInvitee, {{"pageSize", "5"}, {"pageNo", "1"}}, "");
  r = cli_->Get(std::string(kInvitee) + "?pageNo=1&pageSize=5",
                {{"api_key", "demo-key"}, {"timestamp", std::to_string(ts)}, {"sign", sign}});
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "6001");
  EXPECT_EQ(sim_->counters().bad_signatures, 2u);
}

TEST_F(SimServerTest, ExpiredTimestampAndWrongKeyAreAuthErrors) {
  start();
  auto r = futures_get({}, now_ms() - 31'000);
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "6000");
  EXPECT_EQ(body(r)["msg"], "timestamp expired");
  r = cli_->Get(kInvitee, {{"api_key", "other"}, {"timestamp", std::to_string(now_ms())}, {"sign", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "6000");
  EXPECT_EQ(sim_->counters().auth_failures, 2u);
  EXPECT_EQ(sim_->counters().bad_signatures, 0u);
}

// CoinW's answers carry the server's Date; a skewed server clock moves it and
// the timestamp window with it, so a request on time by our clock is refused.
TEST_F(SimServerTest, DateHeaderAndASkewedClock) {
  start();
  auto r = futures_get({{"quote", "usdt"}});
  ASSERT_TRUE(r);
  auto date = parse_http_date(r->get_header_value("Date"));
  ASSERT_TRUE(date) << r->get_header_value("Date");
  EXPECT_LE(std::abs(*date - now_ms() / 1000), 2);
  EXPECT_TRUE(parse_http_date(spot_post()->get_header_value("Date"))) << "every answer has one";

  ASSERT_EQ(cli_->Post("/admin/clock?skew=45", "", "application/json")->status, 200);
  EXPECT_EQ(sim_->clock_skew(), 45);
  r = futures_get({{"quote", "usdt"}});
  EXPECT_EQ(body(r)["code"], "6000") << "45 s outside the 30 s window";
  EXPECT_LE(std::abs(*parse_http_date(r->get_header_value("Date")) - now_ms() / 1000 - 45), 2);
  EXPECT_EQ(body(futures_get({{"quote", "usdt"}}, now_ms() + 45000))["code"], "0") << "on time by its clock";
  EXPECT_EQ(body(spot_post())["code"], "200") << "the spot scheme has no timestamp";
  EXPECT_EQ(cli_->Post("/admin/clock?skew=x", "", "application/json")->status, 400);
  EXPECT_EQ(cli_->Post("/admin/clock?skew=99999999", "", "application/json")->status, 400);
}

TEST_F(SimServerTest, CountsWhereRequestsComeFromAndProxyCredentials) {
  start();
  futures_get({{"quote", "usdt"}});
  cli_->Get(kInvitee, {{"Proxy-Authorization", "Basic ZXhwb3J0ZXI6cHc="}});
  cli_->Get(kInvitee, {{"Proxy-Authorization", ""}});
  const json c = sim_->counters().to_json();
  EXPECT_EQ(c["peers"], json({{"127.0.0.1", 3}}));
  EXPECT_EQ(c["proxy_credentials"], 1) << "an empty header carries none";
}

TEST_F(SimServerTest, SpotSignedRightAndWrong) {
  start();
  auto r = spot_post();
  ASSERT_TRUE(r);
  auto j = body(r);
  EXPECT_EQ(j["code"], "200");
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["data"].size(), 12u);
  EXPECT_EQ(j["data"][0]["spotUid"], sim_->dataset_json()["subAccounts"][0]["spotUid"]);
  r = spot_post("demo-key", "wrong");
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "10007");
  EXPECT_EQ(body(r)["failed"], true);
  EXPECT_EQ(sim_->counters().bad_signatures, 1u);
}

TEST_F(SimServerTest, SixthRequestWithinASecondIsRateLimited) {
  start();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    auto r = futures_get({{"pageNo", "1"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(body(r)["code"], "0") << i;
  }
  auto r = futures_get({{"pageNo", "1"}});
  ASSERT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(900));
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "29001");
  EXPECT_EQ(body(r)["msg"], "API access frequently");
  auto c = sim_->counters();
  EXPECT_EQ(c.invitee_assets.requests, 6u);
  EXPECT_EQ(c.invitee_assets.violations, 1u);
  EXPECT_EQ(c.rate_limited, 1u);
  EXPECT_EQ(c.sub_account_list.violations, 0u);
}

TEST_F(SimServerTest, PageSizeIsCappedSilently) {
  start();
  auto r = futures_get({{"pageSize", "1000"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["data"]["list"].size(), 100u);
  r = futures_get({{"pageSize", "0"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "9016");
}

// The variants --api.check tells apart: a refused oversized page, a numeric
// code, windowed answers of active invitees only, a missing permission; and
// the arrival log its pacing tests read.
TEST_F(SimServerTest, CheckVariantsAndTheArrivalLog) {
  Options o;
  o.limits.invitee_per_s = o.limits.sub_account_per_s = 0;
  start(o);
  const api::QueryParams window{
      {"endTime", "2024-06-30 23:59:59"}, {"quote", "usdt"}, {"startTime", "2024-06-30 23:59:00"}};
  EXPECT_EQ(body(futures_get(window))["data"]["total"], 150) << "every invitee, zeros included";
  auto r = cli_->Post("/admin/drift?refuse_over_cap=1&numeric_code=1&window_active_only=1&volume_closed_days_only=1",
                      "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["numeric_code"], true);
  EXPECT_EQ(body(r)["volume_closed_days_only"], true);
  EXPECT_EQ(body(futures_get({{"pageSize", "1000"}}))["code"], 9016);
  EXPECT_EQ(body(futures_get({{"pageSize", "100"}}))["code"], 0);
  EXPECT_EQ(body(spot_post())["code"], 200);
  EXPECT_LT(body(futures_get(window))["data"]["total"].get<int>(), 150) << "only invitees active in that minute";

  r = cli_->Post("/admin/permissions?deny=invitee_assets", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["deny"], json::array({"invitee_assets"}));
  EXPECT_EQ(body(futures_get({}))["code"], 6003);
  EXPECT_EQ(body(spot_post())["code"], 200);
  EXPECT_EQ(body(futures_get({}, now_ms(), "wrong"))["code"], 6001) << "the signature is checked first";
  EXPECT_EQ(cli_->Post("/admin/permissions?deny=everything", "", "text/plain")->status, 400);
  ASSERT_EQ(cli_->Post("/admin/permissions?deny=sub_account_list", "", "text/plain")->status, 200);
  EXPECT_EQ(body(spot_post())["code"], 6003);
  ASSERT_EQ(cli_->Post("/admin/permissions?deny=", "", "text/plain")->status, 200);
  EXPECT_EQ(body(spot_post())["code"], 200);

  const auto arrivals = json::parse(cli_->Get("/admin/arrivals")->body);
  ASSERT_EQ(arrivals.size(), 10u);
  EXPECT_EQ(arrivals[0]["endpoint"], "invitee_assets");
  EXPECT_EQ(arrivals[3]["endpoint"], "sub_account_list");
  EXPECT_LE(arrivals[0]["at_ms"].get<int64_t>(), arrivals[9]["at_ms"].get<int64_t>());
  sim_->reset_counters();
  EXPECT_TRUE(sim_->arrivals().empty());
}

TEST_F(SimServerTest, AdminFreezeShowsInNextSubAccountList) {
  start();
  auto data = sim_->dataset_json()["subAccounts"];
  size_t idx = 0;
  while (data[idx]["frozenFlag"] == 1) ++idx;
  int64_t uid = data[idx]["spotUid"];
  auto r = cli_->Post("/admin/sub-accounts/" + std::to_string(uid) + "/freeze", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = spot_post();
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["data"][idx]["frozenFlag"], 1);
  r = cli_->Post("/admin/sub-accounts/1/freeze", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  r = cli_->Post("/admin/sub-accounts/" + std::to_string(uid) + "/trade?spot=0", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(sim_->dataset_json()["subAccounts"][idx]["spotTradeFlag"], 0);
}

TEST_F(SimServerTest, AdminCountersBalanceAndInvitees) {
  start();
  int64_t uid = sim_->dataset_json()["invitees"]["usdt"][3]["uid"];
  auto r = cli_->Post("/admin/invitees/" + std::to_string(uid) + "/balance?quote=usdt&value=123.45", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(sim_->dataset_json()["invitees"]["usdt"][3]["currentBalance"], "123.45000000");
  r = cli_->Post("/admin/invitees?quote=usdt&count=4", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(sim_->dataset_json()["invitees"]["usdt"].size(), 154u);
  futures_get({});
  r = cli_->Get("/admin/counters");
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["endpoints"]["invitee_assets"]["requests"], 1);
  cli_->Post("/admin/counters/reset", "", "text/plain");
  EXPECT_EQ(sim_->counters().invitee_assets.requests, 0u);
  r = cli_->Get("/no/such/path");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body(r)["code"], 404);
}

constexpr int kPlus8 = 8 * 3600;

// Sums the dataset's history of `row` inside [from, to], both in the dataset's zone.
std::pair<int64_t, int64_t> history_sums(const json& row, const std::string& from, const std::string& to) {
  int64_t dep = 0, wd = 0;
  for (const auto& m : row["history"]) {
    std::string t = m["time"];
    if (t < from || t > to) continue;  // same format and zone: string order is time order
    (m["type"] == "deposit" ? dep : wd) += *parse_amount(m["amount"].get<std::string>());
  }
  return {dep, wd};
}

// With a fixed anchor, "this month" and "today" hold recent movements, and every
// row's windowed totals are the history inside the window.
TEST_F(SimServerTest, RecentMovementsFillTheCurrentPeriods) {
  Options o;
  o.time_zone_offset = "+08:00";
  o.now = *parse_coinw_time("2026-06-15 10:00:00", kPlus8);
  o.page_size_cap = 150;
  start(o);
  const json data = sim_->dataset_json()["invitees"]["usdt"];
  for (auto [from, to] : {std::pair{"2026-06-01 00:00:00", "2026-06-30 23:59:59"},
                          std::pair{"2026-06-15 00:00:00", "2026-06-15 23:59:59"},
                          std::pair{"2026-05-01 00:00:00", "2026-05-31 23:59:59"}}) {
    SCOPED_TRACE(from);
    auto r =
        futures_get({{"endTime", to}, {"pageNo", "1"}, {"pageSize", "150"}, {"quote", "usdt"}, {"startTime", from}});
    ASSERT_TRUE(r);
    auto list = body(r)["data"]["list"];
    ASSERT_EQ(list.size(), data.size()) << r->body;
    int moved = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      auto [dep, wd] = history_sums(data[i], from, to);
      EXPECT_EQ(list[i]["totalDeposit"], format_amount(dep)) << data[i]["uid"];
      EXPECT_EQ(list[i]["totalWithdrawal"], format_amount(wd)) << data[i]["uid"];
      EXPECT_EQ(list[i]["currentBalance"], data[i]["currentBalance"]);
      moved += dep + wd > 0;
    }
    EXPECT_GT(moved, 0);
  }
}

TEST_F(SimServerTest, AdminDepositIsInTheNextWindowAndTheTotals) {
  Options o;
  o.time_zone_offset = "+08:00";
  o.now = *parse_coinw_time("2026-06-15 10:00:00", kPlus8);
  o.limits.invitee_per_s = 0;
  start(o);
  const std::string uid = std::to_string(sim_->dataset_json()["invitees"]["usdc"][5]["uid"].get<int64_t>());
  const std::string day = format_coinw_time(sim_->now(), kPlus8).substr(0, 10);
  const api::QueryParams today{
      {"endTime", day + " 23:59:59"}, {"quote", "usdc"}, {"startTime", day + " 00:00:00"}, {"uid", uid}};
  const api::QueryParams all{{"quote", "usdc"}, {"uid", uid}};
  auto row = [&](const api::QueryParams& q) {
    auto r = futures_get(q);
    EXPECT_TRUE(r);
    return body(r)["data"]["list"][0];
  };
  auto units = [](const json& v) { return *parse_amount(v.get<std::string>()); };
  const json window_before = row(today), all_before = row(all);

  auto r = cli_->Post("/admin/invitees/" + uid + "/deposit?amount=12.5&quote=usdc", "", "text/plain");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_GE(body(r)["time"].get<int64_t>(), o.now);
  const json window_after = row(today), all_after = row(all);
  EXPECT_EQ(units(window_after["totalDeposit"]), units(window_before["totalDeposit"]) + 1'250'000'000);
  EXPECT_EQ(units(all_after["totalDeposit"]), units(all_before["totalDeposit"]) + 1'250'000'000);
  EXPECT_EQ(units(all_after["currentBalance"]), units(all_before["currentBalance"]) + 1'250'000'000);
  EXPECT_EQ(all_after["updateTime"], format_coinw_time(body(r)["time"].get<int64_t>(), kPlus8));

  r = cli_->Post("/admin/invitees/" + uid + "/deposit?amount=2&quote=usdc&type=withdrawal", "", "text/plain");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(units(row(today)["totalWithdrawal"]), units(window_before["totalWithdrawal"]) + 200'000'000);
  EXPECT_EQ(units(row(all)["currentBalance"]), units(all_before["currentBalance"]) + 1'050'000'000);

  for (const char* bad : {"amount=-1", "amount=0", "amount=abc", "amount=1&type=gift", "amount=1&quote=btc", ""}) {
    r = cli_->Post("/admin/invitees/" + uid + "/deposit?" + bad, "", "text/plain");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
  }
  r = cli_->Post("/admin/invitees/1/deposit?amount=1", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

// The other reading of the signing rule: the query exactly as the target carries it.
TEST_F(SimServerTest, EncodedSignFormChecksTheQueryAsTheUrlCarriesIt) {
  Options o;
  o.sign_form = api::QueryForm::encoded;
  o.limits.invitee_per_s = 0;
  start(o);
  const api::QueryParams plain{{"pageNo", "1"}, {"pageSize", "5"}, {"quote", "usdt"}};
  const api::QueryParams window{
      {"endTime", "2024-06-30 23:59:59"}, {"pageNo", "1"}, {"startTime", "2024-06-01 00:00:00"}};
  for (auto form : {api::QueryForm::raw, api::QueryForm::encoded})
    EXPECT_EQ(body(futures_get(plain, now_ms(), "demo-secret", form))["code"], "0") << "nothing to encode: same bytes";
  EXPECT_EQ(body(futures_get(window, now_ms(), "demo-secret", api::QueryForm::raw))["code"], "6001");
  EXPECT_EQ(body(futures_get(window, now_ms(), "demo-secret", api::QueryForm::encoded))["code"], "0");
  EXPECT_EQ(sim_->counters().bad_signatures, 1u);

  auto r = cli_->Post("/admin/sign-form?form=raw", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["form"], "raw");
  EXPECT_EQ(body(futures_get(window, now_ms(), "demo-secret", api::QueryForm::raw))["code"], "0");
  EXPECT_EQ(body(futures_get(window, now_ms(), "demo-secret", api::QueryForm::encoded))["code"], "6001");
  r = cli_->Post("/admin/sign-form?form=sorted", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(sim_->sign_form(), api::QueryForm::raw);
}

class SimFaultTest : public SimServerTest {
 protected:
  void SetUp() override {
    Options o;
    o.limits.invitee_per_s = 0;  // faults only, no real limits
    start(o);
  }
  void inject(const char* kind) {
    Faults f;
    f.rate = 1;
    f.kinds = {kind};
    f.slow_ms = 300;
    f.storm_length = 3;
    sim_->set_faults(f);
  }
};

TEST_F(SimFaultTest, EachKindProducesWhatItSays) {
  auto normal = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(normal);

  inject("http500");
  auto r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);

  inject("html");
  r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502);
  EXPECT_NE(r->body.find("<html>"), std::string::npos);

  inject("malformed");
  r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(json::accept(r->body));

  inject("truncated");
  r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_FALSE(json::accept(r->body));
  EXPECT_EQ(r->body, normal->body.substr(0, normal->body.size() / 2));

  inject("empty");
  r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.empty());

  inject("slow");
  auto t0 = std::chrono::steady_clock::now();
  r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(300));
  EXPECT_EQ(r->body, normal->body);

  inject("drop");
  r = futures_get({{"pageSize", "3"}});
  EXPECT_FALSE(r);  // the connection closes before the declared length arrived

  inject("storm");
  for (int i = 0; i < 4; ++i) {
    r = spot_post();
    ASSERT_TRUE(r);
    EXPECT_EQ(body(r)["code"], "29001");
  }

  auto c = sim_->counters();
  EXPECT_EQ(c.faults_injected, 11u);
  EXPECT_EQ(c.faults_by_kind["storm"], 4u);
  EXPECT_EQ(c.rate_limited, 4u);
  // 4 spot requests in well under a second break the real 3/s limit, yet injected
  // answers are never violations.
  EXPECT_EQ(c.sub_account_list.violations, 0u);
  EXPECT_EQ(c.invitee_assets.violations, 0u);

  sim_->set_faults({});
  r = futures_get({{"pageSize", "3"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, normal->body);
}

TEST_F(SimFaultTest, AdminFaultsEndpointConfiguresAndClears) {
  auto r = cli_->Post("/admin/faults?rate=1&kinds=empty", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = futures_get({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->body.empty());
  r = cli_->Post("/admin/faults?rate=1&kinds=bogus", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  cli_->Post("/admin/faults?rate=0", "", "text/plain");
  r = futures_get({});
  ASSERT_TRUE(r);
  EXPECT_EQ(body(r)["code"], "0");
}

TEST_F(SimServerTest, QuirksModeStillSignsAndVariesRepresentation) {
  Options o;
  o.quirks = true;
  start(o);
  auto r = futures_get({{"pageSize", "100"}});
  ASSERT_TRUE(r);
  auto j = body(r);
  ASSERT_TRUE(j.contains("data")) << r->body;
  int string_uids = 0, numeric_amounts = 0;
  for (const auto& row : j["data"]["list"]) {
    string_uids += row["uid"].is_string();
    numeric_amounts += row["currentBalance"].is_number();
  }
  EXPECT_GT(string_uids, 0);
  EXPECT_LT(string_uids, 100);
  EXPECT_GT(numeric_amounts, 0);
  // Same request, same bytes.
  EXPECT_EQ(futures_get({{"pageSize", "100"}})->body, r->body);
}

TEST_F(SimServerTest, StopCutsShortASlowAnswer) {
  start();
  Faults f;
  f.rate = 1;
  f.kinds = {"slow"};
  f.slow_ms = 10000;
  sim_->set_faults(f);
  std::thread client([&] { futures_get({}); });
  while (sim_->counters().faults_injected == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto t0 = std::chrono::steady_clock::now();
  sim_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  client.join();
}

TEST(SimTls, ServesHttpsVerifiedAgainstATestCa) {
  testing::TestCa ca;
  Options o;
  o.invitees = 5;
  o.tls_cert = ca.cert_file();
  o.tls_key = ca.key_file();
  Simulator sim(o);
  sim.start();
  EXPECT_EQ(sim.url().rfind("https://127.0.0.1:", 0), 0u);

  httplib::SSLClient trusted("127.0.0.1", sim.port());
  trusted.set_ca_cert_path(ca.ca_file().c_str());
  trusted.enable_server_certificate_verification(true);
  auto r = trusted.Get("/admin/counters");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);

  httplib::SSLClient untrusted("127.0.0.1", sim.port());
  untrusted.set_ca_cert_path(ca.other_ca_file().c_str());  // another CA: verification must fail
  untrusted.enable_server_certificate_verification(true);
  EXPECT_FALSE(untrusted.Get("/admin/counters"));

  sim.stop();
}

TEST(SimStart, FailuresThrow) {
  Options o;
  o.tls_cert = "/nonexistent/cert.pem";
  o.tls_key = "/nonexistent/key.pem";
  Simulator tls(o);
  EXPECT_THROW(tls.start(), std::runtime_error);

  Simulator first(Options{});
  first.start();
  Options same;
  same.port = first.port();
  Simulator second(same);
  EXPECT_THROW(second.start(), std::runtime_error);
  Options zone;
  zone.time_zone_offset = "8";
  EXPECT_THROW(Simulator{zone}, std::invalid_argument);
}

}  // namespace
}  // namespace coinw::sim

namespace coinw::sim {
namespace {

// The sub-account commands beyond the list, signed as the exporter signs them,
// and the admin routes that change keys and amounts.
class SimSubAccountAssets : public ::testing::Test {
 protected:
  void start(bool limited) {
    Options o;
    o.invitees = 10;
    if (!limited) o.limits.sub_account_per_s = 0;  // many admin checks in one second
    sim_ = std::make_unique<Simulator>(o);
    sim_->start();
    cli_ = std::make_unique<httplib::Client>("127.0.0.1", sim_->port());
    cli_->set_read_timeout(std::chrono::seconds(3));
  }
  json command(const std::string& name, const api::QueryParams& params = {}) {
    std::string target = "/api/v1/private?command=" + name;
    for (const auto& [k, v] : params) target += "&" + k + "=" + v;
    target += "&api_key=demo-key&sign=" + api::spot_sign(params, "demo-key", "demo-secret");
    auto r = cli_->Post(target, "", "application/json");
    EXPECT_TRUE(r);
    return r ? json::parse(r->body) : json();
  }
  json admin(const std::string& path) {
    auto r = cli_->Post(path, "", "text/plain");
    EXPECT_TRUE(r);
    return r ? json{{"status", r->status}, {"body", json::parse(r->body)}} : json();
  }
  const json* key_row(const std::string& key) {
    keys_ = command("subAccount_apikey");
    for (const auto& row : keys_["data"])
      if (row["apiKey"] == key) return &row;
    return nullptr;
  }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<httplib::Client> cli_;
  json keys_;
};

TEST_F(SimSubAccountAssets, AdminRoutesAddFlipAndDeleteKeysAndSetAmounts) {
  start(false);
  const int64_t uid = sim_->dataset_json()["subAccounts"][0]["spotUid"].get<int64_t>();
  const std::string u = std::to_string(uid);
  auto added = admin("/admin/sub-accounts/" + u + "/api-keys?read_only=0&ip_whitelist=0&spot=1&remark=bot");
  ASSERT_EQ(added["status"], 200);
  const std::string key = added["body"]["apiKey"];
  const json* row = key_row(key);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)["readonlyFlag"], 0);
  EXPECT_EQ((*row)["apiWhiteListFlag"], 0);
  EXPECT_EQ((*row)["spotTradeFlag"], 1);
  EXPECT_EQ(admin("/admin/api-keys/" + key + "/flags?ip_whitelist=1")["status"], 200);
  EXPECT_EQ((*key_row(key))["apiWhiteListFlag"], 1);
  EXPECT_EQ(admin("/admin/api-keys/" + key + "/flags?ip_whitelist=2")["status"], 400);
  EXPECT_EQ(admin("/admin/api-keys/" + key + "/delete")["status"], 200);
  EXPECT_EQ(key_row(key), nullptr);
  EXPECT_EQ(admin("/admin/api-keys/" + key + "/delete")["status"], 404);
  EXPECT_EQ(admin("/admin/sub-accounts/1/api-keys")["status"], 404);

  ASSERT_EQ(admin("/admin/sub-accounts/" + u + "/transferable?coin=USDT&value=12.5")["status"], 200);
  EXPECT_EQ(command("subAccount_transferAvailable", {{"coinCode", "USDT"}, {"subUid", u}})["data"], "12.50000000");
  EXPECT_EQ(admin("/admin/sub-accounts/" + u + "/transferable?coin=USDT&value=-1")["status"], 400);
  EXPECT_EQ(command("subAccount_transferAvailable", {{"coinCode", "USDT"}})["code"], facts::code::kBadParam);
}

TEST_F(SimSubAccountAssets, CommandsShareOneLimitAndAnyOtherCommandIsRefusedAndCounted) {
  start(true);
  int limited = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) limited += command("subAccount_apikey")["code"] == facts::code::kRateLimited;
  limited += command("subAccount_list")["code"] == facts::code::kRateLimited;
  if (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(900)) {
    EXPECT_EQ(limited, 1) << "the fourth sub-account command within a second, whichever it is";
  }
  EXPECT_EQ(command("subAccount_transfer", {{"coinCode", "USDT"}})["code"], facts::code::kInternal);
  const json c = sim_->counters().to_json();
  EXPECT_EQ(c["spot_commands"]["subAccount_transfer"], 1);
  EXPECT_EQ(c["spot_commands"]["subAccount_apikey"], 3);
  EXPECT_EQ(c["endpoints"]["sub_account_apikey"]["requests"], 3);
}

TEST_F(SimSubAccountAssets, MadeUpCommandsCountUnderOneNameBeyondTheBound) {
  start(true);
  for (size_t i = 0; i < kMaxSpotCommands + 10; ++i) command("madeUp_" + std::to_string(i));
  const json c = sim_->counters().to_json();
  EXPECT_EQ(c["spot_commands"].size(), kMaxSpotCommands + 1);
  EXPECT_EQ(c["spot_commands"][kOtherSpotCommands], 10);
  EXPECT_EQ(c["spot_commands"]["madeUp_0"], 1);
}

}  // namespace
}  // namespace coinw::sim
