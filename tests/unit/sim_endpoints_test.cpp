#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/timefmt.h"
#include "sim/endpoints.h"

namespace coinw::sim {
namespace {

using nlohmann::json;

TEST(SimPaging, SlicesPagesAndStopsAfterTheLast) {
  auto p = page_slice(45, 1, 20);
  EXPECT_EQ(p.begin, 0u);
  EXPECT_EQ(p.end, 20u);
  p = page_slice(45, 3, 20);
  EXPECT_EQ(p.begin, 40u);
  EXPECT_EQ(p.end, 45u);
  p = page_slice(45, 4, 20);
  EXPECT_EQ(p.begin, p.end);
  p = page_slice(45, 4'000'000'000'000'000'000, 100);  // no overflow
  EXPECT_EQ(p.begin, p.end);
  p = page_slice(0, 1, 20);
  EXPECT_EQ(p.begin, p.end);
}

InviteeQuery parse_ok(api::QueryParams params) {
  auto r = parse_invitee_query(params, 20, 100, 0);
  EXPECT_TRUE(std::holds_alternative<InviteeQuery>(r));
  return std::holds_alternative<InviteeQuery>(r) ? std::get<InviteeQuery>(r) : InviteeQuery{};
}

std::string parse_error(api::QueryParams params) {
  auto r = parse_invitee_query(params, 20, 100, 0);
  return std::holds_alternative<ParamError>(r) ? std::get<ParamError>(r).code : "ok";
}

TEST(SimInviteeQuery, DefaultsCapAndErrors) {
  auto q = parse_ok({});
  EXPECT_EQ(q.page_no, 1);
  EXPECT_EQ(q.page_size, 20);
  EXPECT_EQ(q.quote, Quote::usdt);
  EXPECT_EQ(parse_ok({{"pageSize", "1000"}}).page_size, 100);
  EXPECT_EQ(parse_ok({{"pageSize", "37"}, {"quote", "usdc"}}).quote, Quote::usdc);
  auto w = parse_ok({{"startTime", "2024-01-01 00:00:00"}, {"endTime", "2024-01-02 00:00:00"}});
  EXPECT_EQ(w.start, 1704067200);
  EXPECT_EQ(w.end, 1704153600);
  EXPECT_EQ(parse_error({{"pageNo", "0"}}), "9016");
  EXPECT_EQ(parse_error({{"pageNo", "x"}}), "9016");
  EXPECT_EQ(parse_error({{"pageSize", "0"}}), "9016");
  EXPECT_EQ(parse_error({{"pageSize", "-5"}}), "9016");
  EXPECT_EQ(parse_error({{"startTime", "2024-01-01"}}), "9016");
  EXPECT_EQ(parse_error({{"quote", "btc"}}), "402");
  EXPECT_EQ(parse_error({{"quote", "USDT"}}), "402");
}

TEST(SimInviteeBody, PageRowsAndWindowedTotals) {
  Dataset d(42, 30, 0);
  InviteeQuery q;
  q.page_no = 2;
  q.page_size = 7;
  auto j = json::parse(invitee_assets_body(d, q, {}));
  EXPECT_EQ(j["code"], "0");
  EXPECT_EQ(j["msg"], "success");
  EXPECT_EQ(j["data"]["total"], 30);
  ASSERT_EQ(j["data"]["list"].size(), 7u);
  EXPECT_EQ(j["data"]["list"][0]["uid"], d.invitees(Quote::usdt)[7].uid);

  // A window excluding everything zeroes the totals but not the balance.
  const Invitee* rich = nullptr;
  for (const auto& inv : d.invitees(Quote::usdt))
    if (inv.balance > 0) rich = &inv;
  ASSERT_NE(rich, nullptr);
  InviteeQuery one;
  one.uid = rich->uid;
  one.end = 0;
  auto row = json::parse(invitee_assets_body(d, one, {}))["data"]["list"][0];
  EXPECT_EQ(row["totalDeposit"], "0.00000000");
  EXPECT_EQ(row["currentBalance"], format_amount(rich->balance));
  ASSERT_TRUE(row["firstDepositAmount"].is_string());
}

// A window in +08:00 counts movements at its first and last second, not one
// second outside either end.
TEST(SimInviteeBody, WindowIsInclusiveToTheSecondInTheSimulatorsZone) {
  constexpr int kPlus8 = 8 * 3600;
  Dataset d(42, 30, 0);  // no anchor: all history ends in 2024
  const int64_t uid = d.invitees(Quote::usdt)[4].uid;
  const int64_t first = *parse_coinw_time("2026-03-01 00:00:00", kPlus8);
  const int64_t last = *parse_coinw_time("2026-03-31 23:59:59", kPlus8);
  ASSERT_EQ(first, *parse_coinw_time("2026-02-28 16:00:00", 0));
  for (auto [t, units] :
       {std::pair{first - 1, 1}, std::pair{first, 20}, std::pair{last, 300}, std::pair{last + 1, 4000}})
    ASSERT_TRUE(d.add_movement(Quote::usdt, uid, {t, true, units}));
  ASSERT_TRUE(d.add_movement(Quote::usdt, uid, {first + 3600, false, 7}));

  auto parsed = parse_invitee_query({{"endTime", "2026-03-31 23:59:59"},
                                     {"quote", "usdt"},
                                     {"startTime", "2026-03-01 00:00:00"},
                                     {"uid", std::to_string(uid)}},
                                    20, 100, kPlus8);
  ASSERT_TRUE(std::holds_alternative<InviteeQuery>(parsed));
  const auto& q = std::get<InviteeQuery>(parsed);
  EXPECT_EQ(q.start, first);
  EXPECT_EQ(q.end, last);
  auto row = json::parse(invitee_assets_body(d, q, {kPlus8}))["data"]["list"][0];
  EXPECT_EQ(row["totalDeposit"], "0.00000320");
  EXPECT_EQ(row["totalWithdrawal"], "0.00000007");
  // The same window read in UTC starts eight hours later: the first second's deposit drops out.
  auto utc = std::get<InviteeQuery>(parse_invitee_query(
      {{"endTime", "2026-03-31 23:59:59"}, {"startTime", "2026-03-01 00:00:00"}, {"uid", std::to_string(uid)}}, 20, 100,
      0));
  row = json::parse(invitee_assets_body(d, utc, {}))["data"]["list"][0];
  EXPECT_EQ(row["totalDeposit"], "0.00004300");
}

TEST(SimInviteeBody, UidSelectsExactlyThatInvitee) {
  Dataset d(42, 30, 0);
  const auto& want = d.invitees(Quote::usdc)[17];
  InviteeQuery q;
  q.quote = Quote::usdc;
  q.uid = want.uid;
  auto j = json::parse(invitee_assets_body(d, q, {}));
  EXPECT_EQ(j["data"]["total"], 1);
  ASSERT_EQ(j["data"]["list"].size(), 1u);
  EXPECT_EQ(j["data"]["list"][0]["uid"], want.uid);
  EXPECT_EQ(j["data"]["list"][0]["currentBalance"], format_amount(want.balance));
  q.uid = want.uid + 1;  // uids are at least one apart, so this one is unknown
  ASSERT_EQ(d.find_invitee(Quote::usdc, want.uid + 1), nullptr);
  j = json::parse(invitee_assets_body(d, q, {}));
  EXPECT_EQ(j["data"]["total"], 0);
  EXPECT_TRUE(j["data"]["list"].empty());
}

TEST(SimInviteeBody, QuirksVaryRepresentationButNotValues) {
  Dataset d(42, 60, 12);
  InviteeQuery q;
  q.page_size = 60;
  bool numeric_amount = false, string_uid = false, extra = false;
  auto page = json::parse(invitee_assets_body(d, q, {0, true, 0}));
  for (const auto& row : page["data"]["list"]) {
    numeric_amount |= row["currentBalance"].is_number();
    string_uid |= row["uid"].is_string();
    extra |= row.contains("inviteLevel");
  }
  EXPECT_TRUE(numeric_amount);
  EXPECT_TRUE(string_uid);
  EXPECT_TRUE(extra);
  // Envelope variant bits 1 and 2: numeric code, `message` instead of `msg`.
  auto env = json::parse(invitee_assets_body(d, q, {0, true, 3}));
  EXPECT_EQ(env["code"], 0);
  EXPECT_EQ(env["message"], "success");
  EXPECT_FALSE(env.contains("msg"));
}

}  // namespace
}  // namespace coinw::sim
