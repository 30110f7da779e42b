#include "api/parse.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/timefmt.h"

namespace coinw::api {
namespace {

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(COINW_TEST_DATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ParseAmount, DecimalStringsOnly) {
  EXPECT_DOUBLE_EQ(*parse_amount("15000.00000000"), 15000.0);
  EXPECT_DOUBLE_EQ(*parse_amount("-0.5"), -0.5);
  for (const char* s : {"", "12,5", "1e5", "nan", "inf", " 1", "1 ", "0x10", "1e999999"})
    EXPECT_EQ(parse_amount(s), std::nullopt) << s;
  EXPECT_EQ(parse_amount(std::string(400, '9')), std::nullopt);
}

TEST(ParseInviteePage, RecordedPage) {
  auto r = parse_invitee_page(200, read_data("invitee_assets_page.json"), 0);
  ASSERT_TRUE(r) << r.error().message;
  const auto& p = r.value();
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.invalid_rows, 0u);
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0].uid, 1001u);
  EXPECT_DOUBLE_EQ(*p.rows[0].total_deposit, 15000.0);
  EXPECT_DOUBLE_EQ(*p.rows[0].total_withdrawal, 2500.5);
  EXPECT_DOUBLE_EQ(*p.rows[0].current_balance, 12499.5);
  EXPECT_EQ(p.rows[0].first_deposit_time, 1704164645);
  EXPECT_EQ(p.rows[1].first_deposit_amount, std::nullopt);
  EXPECT_EQ(p.rows[1].first_deposit_time, std::nullopt);
  EXPECT_DOUBLE_EQ(*p.rows[1].current_balance, 0.0);
}

TEST(ParseInviteePage, OnlyAnUnreadableUidSkipsARow) {
  auto r = parse_invitee_page(200, read_data("invitee_assets_hostile.json"), 0);
  ASSERT_TRUE(r) << r.error().message;
  const auto& p = r.value();
  ASSERT_EQ(p.rows.size(), 5u);
  EXPECT_EQ(p.invalid_rows, 4u);    // uid -5, "abc", missing, a row that is not an object
  EXPECT_EQ(p.rows[0].uid, 2001u);  // uid as string, amounts as numbers, unknown fields
  EXPECT_DOUBLE_EQ(*p.rows[0].total_deposit, 100.5);
  EXPECT_EQ(p.rows[1].uid, 2002u);  // every optional field missing
  EXPECT_EQ(p.rows[1].current_balance, std::nullopt);
  // An unreadable optional field leaves that value out and keeps the rest.
  EXPECT_EQ(p.rows[2].uid, 2003u);
  EXPECT_EQ(p.rows[2].total_deposit, std::nullopt);
  EXPECT_EQ(p.rows[3].uid, 2004u);
  EXPECT_EQ(p.rows[3].total_deposit, std::nullopt);
  EXPECT_EQ(p.rows[4].uid, 2005u);
  EXPECT_EQ(p.rows[4].update_time, std::nullopt);
  EXPECT_EQ(p.format.rows, 9u);
  EXPECT_EQ(p.format.unreadable_rows, 7u);
  EXPECT_EQ(p.format.invalid_fields.at("uid"), 4u);
  EXPECT_EQ(p.format.invalid_fields.at("totalDeposit"), 2u);
  EXPECT_EQ(p.format.invalid_fields.at("updateTime"), 1u);
  EXPECT_EQ(p.format.invalid_fields.count("currentBalance"), 0u);
  EXPECT_TRUE(p.format.drifted());
}

TEST(ParseInviteePage, FormatDriftIsCountedByField) {
  // Times as epoch milliseconds and empty amounts: readable uids, nothing else.
  auto r = parse_invitee_page(200, read_data("invitee_assets_drift.json"), 0);
  ASSERT_TRUE(r) << r.error().message;
  const auto& p = r.value();
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.invalid_rows, 0u);
  EXPECT_EQ(p.format.unreadable_rows, 3u);
  EXPECT_EQ(p.format.invalid_fields.at("updateTime"), 3u);
  EXPECT_EQ(p.format.invalid_fields.at("totalDeposit"), 3u);
  EXPECT_DOUBLE_EQ(*p.rows[0].current_balance, 10.0);
  EXPECT_EQ(p.rows[0].total_deposit, std::nullopt);
  EXPECT_TRUE(p.format.drifted());
}

TEST(ParseInviteePage, TenPercentIsTheDriftThreshold) {
  auto page_with = [](int bad, int good) {
    std::string list;
    for (int i = 0; i < bad + good; ++i)
      list += (i ? "," : "") + std::string(R"({"uid":)") + std::to_string(i + 1) + R"(,"totalDeposit":)" +
              (i < bad ? R"("")" : R"("1")") + "}";
    return parse_invitee_page(
        200, R"({"code":"0","data":{"total":)" + std::to_string(bad + good) + R"(,"list":[)" + list + "]}}", 0);
  };
  EXPECT_FALSE(page_with(1, 9).value().format.drifted()) << "exactly 10% is tolerated";
  EXPECT_TRUE(page_with(2, 9).value().format.drifted());
  EXPECT_FALSE(page_with(0, 0).value().format.drifted());
}

TEST(ParseInviteePage, TotalAsNumberOrDigits) {
  auto r = parse_invitee_page(200, read_data("invitee_assets_quirks.json"), 0);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value().total, 7);
  for (const char* bad : {R"("7x")", R"("-1")", "-1", R"("")", "1.5", "[]"}) {
    auto b = parse_invitee_page(200, std::string(R"({"code":"0","data":{"total":)") + bad + R"(,"list":[]}})", 0);
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().reason, FailureReason::malformed_response) << bad;
  }
  auto absent = parse_invitee_page(200, R"({"code":"0","data":{"list":[{"uid":1}]}})", 0);
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent.value().total, std::nullopt);
  EXPECT_EQ(absent.value().rows.size(), 1u);
}

TEST(ParseInviteePage, NullDataIsAnEmptyListOnlyWithoutACount) {
  for (const char* body :
       {R"({"code":"0","msg":"success","data":null})", R"({"code":"0","data":{"total":0,"list":null}})",
        R"({"code":"0","data":{"total":"0"}})", R"({"code":"0","data":{}})"}) {
    auto r = parse_invitee_page(200, body, 0);
    ASSERT_TRUE(r) << body;
    EXPECT_TRUE(r.value().rows.empty()) << body;
  }
  auto r = parse_invitee_page(200, R"({"code":"0","data":{"total":5,"list":null}})", 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::malformed_response);
}

TEST(ParseInviteePage, NumericCodeAndMessageField) {
  auto r = parse_invitee_page(200, R"({"code":29001,"message":"API access frequently"})", 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::rate_limited);
  EXPECT_EQ(r.error().code, "29001");
  EXPECT_NE(r.error().message.find("API access frequently"), std::string::npos);
}

struct ErrorCase {
  int status;
  const char* body;
  FailureReason reason;
};

TEST(ParseInviteePage, ClassifiesEveryKindOfFailure) {
  const ErrorCase cases[] = {
      {200, R"({"code":"6000","msg":"auth"})", FailureReason::auth},
      {200, R"({"code":"6001","msg":"sign"})", FailureReason::auth},
      {200, R"({"code":"6003","msg":"perm"})", FailureReason::permission},
      {200, R"({"code":"9016","msg":"param"})", FailureReason::bad_request},
      {200, R"({"code":"500","msg":"oops"})", FailureReason::server_error},
      {404, R"({"code":404,"msg":"Not Found"})", FailureReason::bad_request},
      {200, R"({"code":"77777","msg":"new"})", FailureReason::api_error},
      {429, "", FailureReason::rate_limited},
      {502, "<html><body>Bad gateway</body></html>", FailureReason::server_error},
      {200, "<html>", FailureReason::malformed_response},
      {200, "", FailureReason::malformed_response},
      {200, R"({"code":"0","msg":"success","data":{"total":5,"list":[{"uid":1)", FailureReason::malformed_response},
      {200, R"([1,2])", FailureReason::malformed_response},
      {200, R"({"code":"0","msg":"success"})", FailureReason::malformed_response},
      {200, R"({"code":"0","data":[]})", FailureReason::malformed_response},
      {200, R"({"code":"0","data":{"total":1,"list":{}}})", FailureReason::malformed_response},
      {503, R"({"code":"0","data":{"total":0,"list":[]}})", FailureReason::server_error},
  };
  for (const auto& c : cases) {
    auto r = parse_invitee_page(c.status, c.body, 0);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().reason, c.reason) << c.status << " " << c.body;
  }
}

TEST(ParseInviteePage, DeepNestingIsRejectedNotACrash) {
  std::string body(100000, '[');
  auto r = parse_invitee_page(200, body, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::malformed_response);
}

TEST(ParseRegistrationPage, ReadsUidAndRegisterTime) {
  auto r = parse_registration_page(
      200,
      R"({"code":"0","data":{"total":"4","list":[{"uid":12,"registerTime":"2026-11-30 23:00:00"},)"
      R"({"uid":"11","registerTime":""},{"uid":-3,"registerTime":"2026-11-01 00:00:00"},)"
      R"({"uid":10,"registerTime":"yesterday"}]}})",
      8 * 3600);
  ASSERT_TRUE(r) << r.error().message;
  const auto& p = r.value();
  EXPECT_EQ(p.total, 4);
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0].uid, 12u);
  EXPECT_EQ(p.rows[0].registered, *parse_coinw_time("2026-11-30 15:00:00", 0));
  EXPECT_EQ(p.rows[1].registered, std::nullopt) << "an empty time is absent";
  EXPECT_EQ(p.rows[2].registered, std::nullopt) << "an unreadable one too, and counted";
  EXPECT_EQ(p.invalid_rows, 1u);
  EXPECT_EQ(p.format.invalid_fields.at("registerTime"), 1u);
}

TEST(ParseVolumePage, OnlyRowsWithADayAskedForAndAVolumeCount) {
  const int32_t first = *parse_coinw_date("2026-11-01"), last = *parse_coinw_date("2026-11-02");
  auto r = parse_volume_page(200,
                             R"({"code":0,"data":{"total":6,"list":[)"
                             R"({"uid":1,"volume":"10.5","time":"2026-11-02"},)"
                             R"({"uid":2,"volume":"-1","time":"2026-11-02"},)"
                             R"({"uid":3,"volume":"4","time":"2026-11-03"},)"
                             R"({"uid":4,"volume":"4","time":"2026/11/01"},)"
                             R"({"uid":5,"time":"2026-11-01"},)"
                             R"({"uid":6,"volume":"0","time":"2026-11-01"}]}})",
                             first, last);
  ASSERT_TRUE(r) << r.error().message;
  const auto& p = r.value();
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].uid, 1u);
  EXPECT_EQ(p.rows[0].day, last);
  EXPECT_DOUBLE_EQ(p.rows[0].volume, 10.5);
  EXPECT_EQ(p.rows[1].uid, 6u);
  EXPECT_EQ(p.invalid_rows, 4u) << "they still hold their places on the page";
}

TEST(ParseVolumePage, AnErrorEnvelopeIsAnError) {
  auto r = parse_volume_page(200, R"({"code":"9016","msg":"time range too long"})", 0, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "9016");
}

TEST(ParseSubAccounts, RecordedListWithAwkwardRows) {
  auto r = parse_sub_accounts(200, read_data("sub_accounts.json"));
  ASSERT_TRUE(r) << r.error().message;
  const auto& l = r.value();
  ASSERT_EQ(l.rows.size(), 4u) << "a sub-account is never dropped for a bad flag";
  EXPECT_EQ(l.invalid_rows, 0u);
  EXPECT_EQ(l.rows[0].uid, 5001u);
  EXPECT_FALSE(l.rows[0].frozen);
  EXPECT_EQ(l.rows[1].uid, 5002u);
  EXPECT_TRUE(l.rows[1].frozen);
  EXPECT_FALSE(l.rows[1].spot_trade_enabled);
  EXPECT_TRUE(l.rows[1].contract_trade_enabled);
  EXPECT_EQ(l.rows[1].nick_name, "quote\" back\\ nl\n 🚀 <b>x</b>");
  EXPECT_TRUE(l.rows[2].frozen) << "frozenFlag 2 counts as frozen";
  EXPECT_TRUE(l.rows[2].spot_trade_known);
  EXPECT_FALSE(l.rows[3].contract_trade_known) << "missing contractTradeFlag";
  EXPECT_TRUE(l.rows[3].spot_trade_known);
  EXPECT_TRUE(l.rows[3].spot_trade_enabled);
  EXPECT_EQ(l.format.invalid_fields.at("frozenFlag"), 1u);
  EXPECT_EQ(l.format.invalid_fields.at("contractTradeFlag"), 1u);
  EXPECT_EQ(l.format.unreadable_rows, 1u) << "an unexpected but readable frozenFlag is not unreadable";
}

TEST(ParseSubAccounts, UnreadableFrozenFlagFailsSafe) {
  auto r = parse_sub_accounts(
      200, R"({"code":"200","data":[{"spotUid":1,"frozenFlag":"yes","spotTradeFlag":1,"contractTradeFlag":1},)"
           R"({"spotUid":2,"spotTradeFlag":true,"contractTradeFlag":false}],"success":true})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r.value().rows.size(), 2u);
  EXPECT_TRUE(r.value().rows[0].frozen);
  EXPECT_TRUE(r.value().rows[1].frozen);
  EXPECT_TRUE(r.value().rows[1].spot_trade_enabled);
  EXPECT_EQ(r.value().format.invalid_fields.at("frozenFlag"), 2u);
  EXPECT_EQ(r.value().format.unreadable_rows, 2u);
}

TEST(ParseSubAccounts, BadTextInANicknameIsRepairedNotFatal) {
  auto r = parse_sub_accounts(200, read_data("sub_accounts_bad_text.json"));
  ASSERT_TRUE(r) << r.error().message;
  const auto& l = r.value();
  ASSERT_EQ(l.rows.size(), 3u);
  EXPECT_EQ(l.rows[0].nick_name, "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(l.rows[1].nick_name, "lone \xEF\xBF\xBD surrogate");
  EXPECT_EQ(l.rows[2].nick_name, "pair \xF0\x9F\x9A\x80 ok");
  EXPECT_TRUE(l.rows[1].frozen);
  EXPECT_EQ(l.format.text_repairs, 2u);
  EXPECT_EQ(l.format.unreadable_rows, 0u);
}

TEST(ParseSubAccounts, SpotErrorEnvelope) {
  auto r = parse_sub_accounts(200, R"({"code":"10007","msg":"sign error","success":false,"failed":true})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::auth);
  auto ok_code_wrong_scheme = parse_sub_accounts(200, R"({"code":"0","data":[]})");
  ASSERT_FALSE(ok_code_wrong_scheme);
}

TEST(ParseSubAccounts, SuccessFalseOrFailedTrueIsAnErrorWhateverTheCode) {
  for (const char* body : {R"({"code":"200","msg":"busy","data":[],"success":false,"failed":true})",
                           R"({"code":"200","data":[],"success":false})", R"({"code":200,"data":[],"failed":true})"}) {
    auto r = parse_sub_accounts(200, body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().reason, FailureReason::api_error) << body;
  }
  EXPECT_TRUE(parse_sub_accounts(200, R"({"code":"200","data":[],"success":true,"failed":false})"));
  EXPECT_TRUE(parse_sub_accounts(200, R"({"code":"200","data":[]})")) << "the flags are optional";
}

}  // namespace
}  // namespace coinw::api
