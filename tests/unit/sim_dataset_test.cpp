#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/timefmt.h"
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

constexpr int kPlus8 = 8 * 3600;
int64_t at(const char* text, int offset_s = kPlus8) { return *parse_coinw_time(text, offset_s); }

TEST(SimRecent, SomeInviteesMoveInThePreviousMonthThisMonthAndToday) {
  const int64_t now = at("2026-03-18 15:30:00");
  const Dataset plain(42, 250, 0), d(42, 250, 0, Anchor{now, kPlus8});
  const int64_t previous = at("2026-02-01 00:00:00"), month = at("2026-03-01 00:00:00"),
                today = at("2026-03-18 00:00:00");
  for (auto q : {Quote::usdt, Quote::usdc}) {
    SCOPED_TRACE(quote_name(q));
    int moved = 0, in_previous = 0, earlier = 0, on_the_day = 0;
    for (size_t i = 0; i < d.invitees(q).size(); ++i) {
      const Invitee &old = plain.invitees(q)[i], &inv = d.invitees(q)[i];
      ASSERT_EQ(inv.uid, old.uid);
      ASSERT_GE(inv.history.size(), old.history.size());
      // The older history is untouched; everything added is recent and not after the anchor.
      EXPECT_TRUE(std::equal(old.history.begin(), old.history.end(), inv.history.begin(),
                             [](const Movement& a, const Movement& b) {
                               return a.time == b.time && a.deposit == b.deposit && a.amount == b.amount;
                             }));
      int64_t net = 0, latest = old.update_time;
      for (size_t k = old.history.size(); k < inv.history.size(); ++k) {
        const Movement& m = inv.history[k];
        EXPECT_GE(m.time, previous);
        EXPECT_LE(m.time, now);
        EXPECT_GT(m.amount, 0);
        in_previous += m.time < month;
        earlier += m.time >= month && m.time < today;
        on_the_day += m.time >= today;
        net += m.deposit ? m.amount : -m.amount;
        latest = std::max(latest, m.time);
      }
      moved += inv.history.size() > old.history.size();
      EXPECT_EQ(inv.balance, old.balance + net) << inv.uid;
      EXPECT_GE(inv.balance, 0) << inv.uid;
      EXPECT_EQ(inv.update_time, latest) << inv.uid;
      EXPECT_TRUE(std::is_sorted(inv.history.begin(), inv.history.end(),
                                 [](const Movement& a, const Movement& b) { return a.time < b.time; }));
    }
    EXPECT_GE(moved, 250 * 15 / 100);
    EXPECT_LE(moved, 250 * 35 / 100);
    EXPECT_GT(in_previous, 0);
    EXPECT_GT(earlier, 0);
    EXPECT_GT(on_the_day, 0);
  }
  EXPECT_EQ(d.to_json(kPlus8).dump(), Dataset(42, 250, 0, Anchor{now, kPlus8}).to_json(kPlus8).dump());
}

TEST(SimRecent, OnTheFirstOfAMonthNothingFallsBeforeTheDayInIt) {
  // 00:30 on the 1st in +08:00 is still the 31st in UTC: the zone decides.
  const int64_t now = at("2026-04-01 00:30:00");
  const Dataset plain(7, 200, 0), d(7, 200, 0, Anchor{now, kPlus8});
  int on_the_day = 0;
  for (size_t i = 0; i < d.invitees(Quote::usdt).size(); ++i) {
    const auto &old = plain.invitees(Quote::usdt)[i], &inv = d.invitees(Quote::usdt)[i];
    for (size_t k = old.history.size(); k < inv.history.size(); ++k) {
      const int64_t t = inv.history[k].time;
      EXPECT_TRUE(t < at("2026-04-01 00:00:00") ? t >= at("2026-03-01 00:00:00") : t <= now)
          << format_coinw_time(t, kPlus8);
      on_the_day += t >= at("2026-04-01 00:00:00");
    }
  }
  EXPECT_GT(on_the_day, 0);
}

TEST(SimDataset, AddedMovementsUpdateTotalsBalanceAndFirstDeposit) {
  Dataset d(7, 200, 0);
  const Invitee* never = nullptr;
  for (const auto& inv : d.invitees(Quote::usdc))
    if (!inv.first_deposit()) never = &inv;
  ASSERT_NE(never, nullptr);
  const int64_t uid = never->uid, t = at("2026-05-05 12:00:00");
  ASSERT_TRUE(d.add_movement(Quote::usdc, uid, {t, true, 1250000000}));
  ASSERT_TRUE(d.add_movement(Quote::usdc, uid, {t + 60, false, 250000000}));
  const Invitee& inv = *d.find_invitee(Quote::usdc, uid);
  ASSERT_NE(inv.first_deposit(), nullptr);
  EXPECT_EQ(inv.first_deposit()->time, t);
  EXPECT_EQ(inv.balance, 1000000000);
  EXPECT_EQ(inv.update_time, t + 60);
  EXPECT_EQ(totals(inv, std::nullopt, std::nullopt).deposit, 1250000000);
  EXPECT_EQ(totals(inv, t + 1, std::nullopt).withdrawal, 250000000);
  EXPECT_FALSE(d.add_movement(Quote::usdc, 1, {t, true, 1}));
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
