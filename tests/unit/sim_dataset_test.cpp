#include <gtest/gtest.h>

#include <set>

#include "sim/dataset.h"

namespace coinw::sim {
namespace {

TEST(SimDataset, SameSeedSameBytesOtherSeedDiffers) {
  auto a = Dataset(42, 50, 12).to_json(0).dump();
  auto b = Dataset(42, 50, 12).to_json(0).dump();
  auto c = Dataset(43, 50, 12).to_json(0).dump();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(SimDataset, UidsAscendAndCoverNeverDepositedAndAwkwardNicknames) {
  Dataset d(7, 200, 12);
  for (auto q : {Quote::usdt, Quote::usdc}) {
    const auto& list = d.invitees(q);
    ASSERT_EQ(list.size(), 200u);
    int never = 0;
    for (size_t i = 1; i < list.size(); ++i) EXPECT_LT(list[i - 1].uid, list[i].uid);
    for (const auto& inv : list) never += inv.first_deposit() == nullptr;
    EXPECT_GT(never, 0);
    EXPECT_LT(never, 100);
  }
  std::string all;
  int frozen = 0, no_spot = 0, no_contract = 0;
  for (const auto& s : d.sub_accounts()) {
    all += s.nick_name + "\x01";
    frozen += s.frozen;
    no_spot += !s.spot_trade;
    no_contract += !s.contract_trade;
  }
  for (const char* needle : {"@example.", "\"", "\\", "\n", "\xF0\x9F", "<b>", "+86"})
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  bool has_long = false;
  for (const auto& s : d.sub_accounts()) has_long |= s.nick_name.size() == 300;
  EXPECT_TRUE(has_long);
  EXPECT_GT(frozen, 0);
  EXPECT_GT(no_spot, 0);
  EXPECT_GT(no_contract, 0);
}

TEST(SimDataset, WindowedTotalsSumOnlyMovementsInsideTheWindow) {
  Invitee inv{1, 0, {{100, true, 500}, {200, false, 120}, {300, true, 1000}, {400, false, 80}}, 7, 400};
  auto all = totals(inv, std::nullopt, std::nullopt);
  EXPECT_EQ(all.deposit, 1500);
  EXPECT_EQ(all.withdrawal, 200);
  auto mid = totals(inv, 200, 300);  // both ends inclusive
  EXPECT_EQ(mid.deposit, 1000);
  EXPECT_EQ(mid.withdrawal, 120);
  auto from = totals(inv, 301, std::nullopt);
  EXPECT_EQ(from.deposit, 0);
  EXPECT_EQ(from.withdrawal, 80);
  auto until = totals(inv, std::nullopt, 199);
  EXPECT_EQ(until.deposit, 500);
  EXPECT_EQ(until.withdrawal, 0);
  EXPECT_EQ(inv.first_deposit()->time, 100);
}

TEST(SimDataset, AddedInviteesGetHigherUids) {
  Dataset d(1, 5, 0);
  int64_t before = std::max(d.invitees(Quote::usdt).back().uid, d.invitees(Quote::usdc).back().uid);
  d.add_invitees(Quote::usdc, 3);
  ASSERT_EQ(d.invitees(Quote::usdc).size(), 8u);
  EXPECT_EQ(d.invitees(Quote::usdt).size(), 5u);
  EXPECT_GT(d.invitees(Quote::usdc)[5].uid, before);
  EXPECT_LT(d.invitees(Quote::usdc)[6].uid, d.invitees(Quote::usdc)[7].uid);
  EXPECT_NE(d.find_invitee(Quote::usdc, d.invitees(Quote::usdc)[7].uid), nullptr);
  EXPECT_EQ(d.find_invitee(Quote::usdt, d.invitees(Quote::usdc)[7].uid), nullptr);
}

TEST(SimAmounts, FormatAndParseWithEightDecimals) {
  EXPECT_EQ(format_amount(1'500'000'000'000), "15000.00000000");
  EXPECT_EQ(format_amount(1), "0.00000001");
  EXPECT_EQ(format_amount(-150'000'000), "-1.50000000");
  EXPECT_EQ(parse_amount("123.45"), 12'345'000'000);
  EXPECT_EQ(parse_amount("7"), 700'000'000);
  EXPECT_FALSE(parse_amount("1.123456789"));
  EXPECT_FALSE(parse_amount("1."));
  EXPECT_FALSE(parse_amount("abc"));
}

}  // namespace
}  // namespace coinw::sim
