// --api.check's pure parts: the decisions from CoinW's answers, the shape of a
// raw body, the rendering. Each answer CoinW might give, without a server
// (tests/integration/api_check_test.cpp runs the probes against the simulator).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "check/decide.h"
#include "check/probes.h"
#include "check/shape.h"

namespace coinw::check {
namespace {

api::ApiError refused(api::FailureReason reason, std::string code) {
  return api::ApiError{reason, "CoinW code " + code + ": some text 12345", code, 200, {}};
}

const Need kNeed{"x.access", "the endpoint", "grant it", "x.enabled: false"};

TEST(CheckDecide, AccessByRefusal) {
  EXPECT_EQ(decide_access(kNeed, std::nullopt).verdict, Verdict::ok);
  auto f = decide_access(kNeed, refused(api::FailureReason::permission, "6003"));
  EXPECT_EQ(f.verdict, Verdict::fail);
  EXPECT_NE(f.seen.find("code 6003 (permission)"), std::string::npos);
  EXPECT_EQ(f.setting, "grant it, or set x.enabled: false.");
  EXPECT_EQ(f.seen.find("12345"), std::string::npos) << "CoinW's message stays out: " << f.seen;
  EXPECT_EQ(decide_access(kNeed, refused(api::FailureReason::auth, "6000")).verdict, Verdict::fail);
  // A rate-limit answer says nothing about the key.
  EXPECT_EQ(decide_access(kNeed, refused(api::FailureReason::rate_limited, "29001")).verdict, Verdict::open);
  auto tls = decide_access(kNeed, api::ApiError{api::FailureReason::tls, "certificate verify failed", "", 0, {}});
  EXPECT_EQ(tls.verdict, Verdict::fail);
  EXPECT_NE(tls.setting.find("ca_file"), std::string::npos);
}

TEST(CheckDecide, PageSize) {
  PageProbe capped{std::nullopt, 100, 250, std::nullopt, false};
  EXPECT_EQ(decide_page_size(100, capped).verdict, Verdict::ok);
  auto lower = decide_page_size(200, capped);
  EXPECT_EQ(lower.verdict, Verdict::change);
  EXPECT_NE(lower.setting.find("lower invitee_assets.page_size to 100"), std::string::npos);
  auto raise = decide_page_size(20, capped);
  EXPECT_NE(raise.setting.find("raise invitee_assets.page_size to 100"), std::string::npos);
  auto all = decide_page_size(100, {std::nullopt, 30, 30, std::nullopt, false});
  EXPECT_EQ(all.verdict, Verdict::ok);
  EXPECT_NE(all.seen.find("unknown"), std::string::npos);
  auto full = decide_page_size(100, {std::nullopt, 1000, 5000, std::nullopt, false});
  EXPECT_NE(full.setting.find("up to 1000"), std::string::npos);
  const auto bad = refused(api::FailureReason::bad_request, "9016");
  EXPECT_EQ(decide_page_size(100, {bad, 0, {}, std::nullopt, true}).verdict, Verdict::note);
  EXPECT_EQ(decide_page_size(200, {bad, 0, {}, bad, true}).verdict, Verdict::fail);
}

TEST(CheckDecide, SignatureForms) {
  EXPECT_EQ(decide_signature({std::nullopt, false, 1}, true).verdict, Verdict::ok);
  EXPECT_EQ(decide_signature({std::nullopt, true, 2}, true).verdict, Verdict::note);
  const auto sign = refused(api::FailureReason::auth, "6001");
  EXPECT_EQ(decide_signature({sign, false, 2}, true).verdict, Verdict::fail);
  EXPECT_EQ(decide_signature({sign, false, 2}, false).verdict, Verdict::note) << "no windows, nothing fails";
}

TEST(CheckDecide, WindowRows) {
  EXPECT_EQ(decide_window_rows(250, 250, false).verdict, Verdict::ok);
  EXPECT_NE(decide_window_rows(250, 250, true).setting.find("window_refresh_interval"), std::string::npos);
  auto active = decide_window_rows(250, 3, false);
  EXPECT_EQ(active.verdict, Verdict::note);
  EXPECT_NE(active.seen.find("only invitees with movements"), std::string::npos);
  EXPECT_EQ(decide_window_rows(0, 0, false).verdict, Verdict::open) << "no invitees: no answer";
  EXPECT_EQ(decide_window_rows(std::nullopt, 3, false).verdict, Verdict::open);
}

const TimeSubject kTimes{"x.times", "an invitee signs up: a fresh registerTime", "sign-ups in the future"};

TEST(CheckDecide, Times) {
  TimesSeen t{{{"\"9999-99-99 99:99:99\"", 10}}, {1'000'000, 1'000'000 - 600}, 1'000'000 - 8 * 3600, 0};
  auto east = decide_times(t, kTimes);
  EXPECT_EQ(east.verdict, Verdict::change);
  EXPECT_EQ(east.probe, "x.times");
  EXPECT_NE(east.setting.find("to +08:00"), std::string::npos) << east.setting;
  EXPECT_NE(east.exporter.find("sign-ups in the future"), std::string::npos) << east.exporter;
  t.coinw_now = 1'000'000 + 60;
  EXPECT_EQ(decide_times(t, kTimes).verdict, Verdict::ok);
  t.coinw_now = 1'000'000 + 5 * 3600;  // the newest is old: a western zone cannot be ruled out
  auto old = decide_times(t, kTimes);
  EXPECT_EQ(old.verdict, Verdict::open);
  EXPECT_NE(old.setting.find("a fresh registerTime"), std::string::npos) << old.setting;
  t.patterns["number"] = 4;  // epoch milliseconds, say
  EXPECT_EQ(decide_times(t, kTimes).verdict, Verdict::fail);
}

TEST(CheckDecide, ListRange) {
  RangeProbe p{3600, std::nullopt, false, std::nullopt};
  EXPECT_EQ(decide_list_range(p)->verdict, Verdict::ok);
  EXPECT_NE(decide_list_range(p)->seen.find("3600 days"), std::string::npos);
  p.whole_error = refused(api::FailureReason::bad_request, "9016");
  p.month_asked = true;
  auto split = decide_list_range(p);
  ASSERT_TRUE(split);
  EXPECT_EQ(split->verdict, Verdict::open) << "the longest range lies between a month and the whole";
  EXPECT_NE(split->exporter.find("month by month"), std::string::npos);
  EXPECT_EQ(split->seen.find("12345"), std::string::npos) << "never CoinW's message";
  p.month_error = p.whole_error;
  EXPECT_NE(decide_list_range(p)->seen.find("not for its length"), std::string::npos);
  p.whole_error = refused(api::FailureReason::permission, "6003");
  EXPECT_FALSE(decide_list_range(p)) << "a refused endpoint is the access finding's";
}

TEST(CheckDecide, OpenDay) {
  constexpr int32_t today = 20'000;
  EXPECT_EQ(decide_open_day({today, today, today - 1}, today).verdict, Verdict::ok);
  auto closed = decide_open_day({today - 1, today - 1}, today);
  EXPECT_EQ(closed.verdict, Verdict::open) << "yesterday only: closed days only, or nobody traded today";
  EXPECT_NE(closed.seen.find("none for today"), std::string::npos);
  EXPECT_NE(decide_open_day({}, today).seen.find("no rows"), std::string::npos);
}

TEST(CheckDecide, SkewCodeAndAmounts) {
  EXPECT_EQ(decide_skew({0.4, -0.2, 0.6}).verdict, Verdict::ok);
  EXPECT_EQ(decide_skew({12.5, 11.5, 12.5}).verdict, Verdict::change);
  EXPECT_EQ(decide_skew({}).verdict, Verdict::open);
  EXPECT_EQ(decide_code_kinds({{"invitee_assets", {"string"}}}).verdict, Verdict::ok);
  EXPECT_EQ(decide_code_kinds({{"invitee_assets", {"string", "number"}}}).verdict, Verdict::note);
  const AmountSubject amounts{"x.amounts", "x values", "a null is left out.", "an object is counted."};
  EXPECT_EQ(decide_amounts({{"string", 8}}, amounts).verdict, Verdict::ok);
  EXPECT_EQ(decide_amounts({{"string", 8}, {"number", 2}}, amounts).verdict, Verdict::note);
  const auto other = decide_amounts({{"other", 1}}, amounts);
  EXPECT_EQ(other.verdict, Verdict::fail);
  EXPECT_EQ(other.exporter, "an object is counted.");
}

TEST(CheckShape, KindsAndPatternsWithoutValues) {
  constexpr std::array<std::string_view, 2> amounts = {"totalDeposit", "currentBalance"};
  constexpr std::array<std::string_view, 1> times = {"updateTime"};
  const auto shape = inspect_body(
      R"({"code":0,"data":{"total":2,"list":[
        {"uid":12345678,"totalDeposit":"15000.5","currentBalance":12.5,"updateTime":"2026-11-01 08:00:00"},
        {"uid":87654321,"totalDeposit":null,"updateTime":"alice@example.com"}]}})",
      amounts, times, 8 * 3600);
  EXPECT_EQ(shape.code_kind, "number");
  EXPECT_EQ(shape.rows, 2u);
  EXPECT_EQ(shape.amounts, (std::map<std::string, size_t>{{"string", 1}, {"number", 1}, {"null", 1}, {"absent", 1}}));
  EXPECT_EQ(shape.times, (std::map<std::string, size_t>{{"\"9999-99-99 99:99:99\"", 1}, {"\"aaaaa@aaaaaaa.aaa\"", 1}}));
  ASSERT_EQ(shape.instants.size(), 1u);
  EXPECT_EQ(shape.instants[0], 1'793'491'200);  // 2026-11-01 00:00:00 UTC
  EXPECT_EQ(inspect_body("<html>", amounts, times, 0).code_kind, "");
  EXPECT_EQ(inspect_body(R"({"code":"200","data":[{"x":1}]})", amounts, times, 0).amounts.at("absent"), 2u);
}

TEST(CheckShape, DataItselfAndEveryJsonKind) {
  constexpr std::array<std::string_view, 3> flags = {"a", "b", "c"};
  const auto keys = inspect_body(R"({"code":"200","data":[{"a":true,"b":[1],"c":{"x":1}}]})", flags, {}, 0);
  EXPECT_EQ(keys.data_kind, "array");
  EXPECT_EQ(keys.amounts, (std::map<std::string, size_t>{{"boolean", 1}, {"array", 1}, {"object", 1}}));
  EXPECT_EQ(inspect_body(R"({"code":"200","data":"12.5"})", {}, {}, 0).data_kind, "string");
  EXPECT_EQ(inspect_body(R"({"code":"200","data":{"amount":"1"}})", {}, {}, 0).data_kind, "object");
  EXPECT_EQ(inspect_body(R"({"code":"200"})", {}, {}, 0).data_kind, "absent");
}

TEST(CheckDecide, AmountsOfAnUnreadableKindFail) {
  const AmountSubject amounts{"x.amount", "the amount", "missing.", "an object is counted."};
  EXPECT_EQ(decide_amounts({{"object", 1}}, amounts).verdict, Verdict::fail);
  EXPECT_EQ(decide_amounts({{"boolean", 1}}, amounts).verdict, Verdict::fail);
  EXPECT_EQ(decide_amounts({{"null", 1}}, amounts).verdict, Verdict::note);
}

TEST(CheckDecide, KeyFlagsAsDocumentedReadableOrNot) {
  EXPECT_EQ(decide_key_fields({}, {}).verdict, Verdict::open) << "no key: nothing to judge";
  EXPECT_EQ(decide_key_fields({{"number", 8}}, {{"array", 2}}).verdict, Verdict::ok);
  EXPECT_EQ(decide_key_fields({{"number", 8}}, {{"string", 2}}).verdict, Verdict::ok) << "either shape is read";
  const auto digits = decide_key_fields({{"\"9\"", 8}}, {{"string", 2}});
  EXPECT_EQ(digits.verdict, Verdict::note);
  EXPECT_EQ(digits.setting, "") << "digit strings are read";
  const auto letters = decide_key_fields({{"\"a\"", 8}}, {{"string", 2}});
  EXPECT_EQ(letters.verdict, Verdict::note);
  EXPECT_NE(letters.setting.find("report this output"), std::string::npos) << "\"Y\"/\"N\" are not read";
  EXPECT_NE(letters.seen.find("8 \"a\""), std::string::npos) << letters.seen;
}

TEST(CheckDecide, FundsAccessNamesTheCoinOnABadRequest) {
  const auto bad = decide_funds_access("USTD", refused(api::FailureReason::bad_request, "9016"));
  EXPECT_EQ(bad.verdict, Verdict::change);
  EXPECT_NE(bad.seen.find("USTD"), std::string::npos);
  EXPECT_NE(bad.setting.find("sub_accounts.funds.coins"), std::string::npos);
  const auto denied = decide_funds_access("USDT", refused(api::FailureReason::permission, "6003"));
  EXPECT_EQ(denied.verdict, Verdict::fail);
  EXPECT_NE(denied.setting.find("sub_accounts.funds.coins: []"), std::string::npos) << denied.setting;
  EXPECT_EQ(decide_funds_access("USDT", std::nullopt).verdict, Verdict::ok);
}

TEST(CheckDecide, UnknownCoinRefusedOrAnsweredZero) {
  EXPECT_EQ(decide_unknown_coin(refused(api::FailureReason::bad_request, "9016"), std::nullopt).verdict, Verdict::ok);
  const auto zero = decide_unknown_coin(std::nullopt, 0.0);
  EXPECT_EQ(zero.verdict, Verdict::note);
  EXPECT_NE(zero.exporter.find("shows 0"), std::string::npos);
  EXPECT_NE(zero.setting.find("spelling"), std::string::npos);
  EXPECT_EQ(decide_unknown_coin(refused(api::FailureReason::rate_limited, "29001"), std::nullopt).verdict,
            Verdict::open);
}

TEST(CheckRender, OneLinePerFindingAndJson) {
  std::vector<AccountReport> reports{
      {"main",
       4,
       {{"clock", Verdict::ok, "seen.", "does.", ""}, {"x.access", Verdict::fail, "refused.", "fails.", "grant."}}}};
  EXPECT_EQ(exit_code(reports), 1);
  const auto text = render(reports, Format::text);
  EXPECT_NE(text.find("main clock ok: seen. Exporter: does.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("main x.access FAIL: refused. Exporter: fails. Setting: grant.\n"), std::string::npos);
  const auto j = nlohmann::json::parse(render(reports, Format::json));
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(j["accounts"][0]["requests"], 4);
  EXPECT_EQ(j["accounts"][0]["findings"][1]["verdict"], "fail");
  reports[0].findings.pop_back();
  EXPECT_EQ(exit_code(reports), 0);
}

TEST(CheckProbes, AtMostTwentyRequestsPerAccount) {
  EXPECT_LE(max_requests_per_account(), 20);
  std::set<std::string_view> names;
  for (const auto& p : kProbes) EXPECT_TRUE(names.insert(p.name).second) << p.name;
}

}  // namespace
}  // namespace coinw::check
