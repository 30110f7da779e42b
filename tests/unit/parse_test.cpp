#include "api/parse.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

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

TEST(ParseInviteePage, HostileRowsAreSkippedAndCounted) {
  auto r = parse_invitee_page(200, read_data("invitee_assets_hostile.json"), 0);
  ASSERT_TRUE(r) << r.error().message;
  const auto& p = r.value();
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.invalid_rows, 7u);
  EXPECT_EQ(p.rows[0].uid, 2001u);  // uid as string, amounts as numbers, unknown fields
  EXPECT_DOUBLE_EQ(*p.rows[0].total_deposit, 100.5);
  EXPECT_EQ(p.rows[1].uid, 2002u);  // every optional field missing
  EXPECT_EQ(p.rows[1].current_balance, std::nullopt);
}

TEST(ParseInviteePage, TotalMustBeACount) {
  auto r = parse_invitee_page(200, read_data("invitee_assets_quirks.json"), 0);
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

TEST(ParseSubAccounts, RecordedListWithAwkwardRows) {
  auto r = parse_sub_accounts(200, read_data("sub_accounts.json"));
  ASSERT_TRUE(r) << r.error().message;
  const auto& l = r.value();
  ASSERT_EQ(l.rows.size(), 2u);
  EXPECT_EQ(l.invalid_rows, 2u);  // frozenFlag 2; missing contractTradeFlag
  EXPECT_EQ(l.rows[0].uid, 5001u);
  EXPECT_FALSE(l.rows[0].frozen);
  EXPECT_EQ(l.rows[1].uid, 5002u);
  EXPECT_TRUE(l.rows[1].frozen);
  EXPECT_FALSE(l.rows[1].spot_trade_enabled);
  EXPECT_TRUE(l.rows[1].contract_trade_enabled);
  EXPECT_EQ(l.rows[1].nick_name, "quote\" back\\ nl\n 🚀 <b>x</b>");
}

TEST(ParseSubAccounts, SpotErrorEnvelope) {
  auto r = parse_sub_accounts(200, R"({"code":"10007","msg":"sign error","success":false,"failed":true})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, FailureReason::auth);
  auto ok_code_wrong_scheme = parse_sub_accounts(200, R"({"code":"0","data":[]})");
  ASSERT_FALSE(ok_code_wrong_scheme);
}

}  // namespace
}  // namespace coinw::api
