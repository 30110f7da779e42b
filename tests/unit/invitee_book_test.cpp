// The invitee cache across passes: nothing lost when rows move between pages,
// nothing kept forever, no sudden wipe, and sums of complete passes only.
#include "collect/invitee_book.h"

#include "collect/amount_sum.h"

#include <gtest/gtest.h>

#include <set>

namespace coinw::collect {
namespace {

using namespace std::chrono_literals;

constexpr Duration kInterval = 60s;

api::InviteePage page_of(const std::vector<uint64_t>& uids, double deposit = 1) {
  api::InviteePage p;
  p.total = static_cast<int64_t>(uids.size());
  for (uint64_t uid : uids) {
    api::InviteeAsset a;
    a.uid = uid;
    a.total_deposit = deposit;
    p.rows.push_back(a);
  }
  return p;
}

std::vector<uint64_t> range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> out;
  for (uint64_t u = from; u < to; ++u) out.push_back(u);
  return out;
}

std::set<uint64_t> uids(const InviteeBook& b) {
  std::set<uint64_t> out;
  b.for_each([&](const InviteeRow& r) { out.insert(r.uid); });
  return out;
}

// One pass of one page (the page size is larger than the list).
std::optional<PassEnd> pass(InviteeBook& b, const std::vector<uint64_t>& list, TimePoint at, double deposit = 1) {
  b.start_pass();
  return b.apply(page_of(list, deposit), at, kInterval);
}

TEST(InviteeBook, ARowIsRemovedOnlyWhenTwoCompletePassesLackIt) {
  InviteeBook b("usdt", 1000);
  TimePoint t{};
  pass(b, range(1, 11), t);
  auto list = range(1, 11);
  list.erase(list.begin() + 4);  // uid 5 missing once: a row skipped as pages shifted
  auto end = pass(b, list, t += kInterval);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->removed, 0u);
  EXPECT_TRUE(uids(b).count(5)) << "one pass without it is not enough";
  EXPECT_EQ(b.totals()->invitees, 10u);
  end = pass(b, range(1, 11), t += kInterval);  // back again
  EXPECT_EQ(end->removed, 0u);
  end = pass(b, list, t += kInterval);
  EXPECT_EQ(end->removed, 0u);
  end = pass(b, list, t += kInterval);  // now two in a row lack it: it left
  EXPECT_EQ(end->removed, 1u);
  EXPECT_FALSE(uids(b).count(5));
  EXPECT_EQ(b.removed(), 1u);
  EXPECT_EQ(b.totals()->invitees, 9u);
}

TEST(InviteeBook, ASuddenEmptyListIsHeldUntilConfirmed) {
  InviteeBook b("usdt", 1000);
  TimePoint t{};
  pass(b, range(1, 101), t);
  auto end = pass(b, {}, t += kInterval);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->verdict, ShrinkGuard::Verdict::hold);
  EXPECT_EQ(uids(b).size(), 100u);
  EXPECT_EQ(b.totals()->invitees, 100u) << "the last applied pass's sums stay";
  end = pass(b, {}, t += kInterval / 2);  // too soon to confirm
  EXPECT_EQ(end->verdict, ShrinkGuard::Verdict::hold);
  end = pass(b, {}, t += kInterval);
  EXPECT_EQ(end->verdict, ShrinkGuard::Verdict::confirm);
  EXPECT_EQ(end->removed, 100u);
  EXPECT_EQ(b.totals()->invitees, 0u);
}

TEST(InviteeBook, AShrinkThatRecoversRemovesOnlyWhatTwoTrustedPassesLack) {
  InviteeBook b("usdt", 1000);
  TimePoint t{};
  pass(b, range(1, 101), t);
  pass(b, range(1, 11), t += kInterval);  // a glitch: held
  auto list = range(1, 101);
  list.pop_back();  // uid 100 left for real
  auto end = pass(b, list, t += kInterval);
  EXPECT_EQ(end->verdict, ShrinkGuard::Verdict::apply);
  EXPECT_EQ(end->removed, 0u) << "the held pass is no evidence of absence";
  end = pass(b, list, t += kInterval);
  EXPECT_EQ(end->removed, 1u);
  EXPECT_EQ(b.totals()->invitees, 99u);
}

TEST(InviteeBook, SumsDescribeTheLastCompletePassWhileANewOneRuns) {
  InviteeBook b("usdt", 2);
  TimePoint t{};
  EXPECT_FALSE(b.totals()) << "no sums before the first complete pass";
  b.start_pass();
  EXPECT_FALSE(b.apply(page_of({1, 2}, 5), t, kInterval));
  EXPECT_FALSE(b.totals());
  EXPECT_DOUBLE_EQ(*b.progress(), 2.0 / 2) << "CoinW's count stands in before any complete pass";
  ASSERT_TRUE(b.apply(page_of({3}, 5), t, kInterval));
  EXPECT_DOUBLE_EQ(b.totals()->deposits, 15);
  EXPECT_EQ(b.progress(), 1.0);

  b.start_pass();
  auto p = page_of({1, 2}, 100);
  p.total = 3;
  EXPECT_FALSE(b.apply(p, t + kInterval, kInterval));
  EXPECT_DOUBLE_EQ(b.totals()->deposits, 15) << "a half-walked pass changes no sum";
  EXPECT_DOUBLE_EQ(*b.progress(), 2.0 / 3);
  ASSERT_TRUE(b.apply(page_of({3}, 100), t + kInterval, kInterval));
  EXPECT_DOUBLE_EQ(b.totals()->deposits, 300);
}

TEST(InviteeBook, RowsOutOfOrderOrTwiceAreMerged) {
  InviteeBook b("usdt", 3);
  b.start_pass();
  EXPECT_FALSE(b.apply(page_of({30, 10, 20}), TimePoint{}, kInterval));
  auto end = b.apply(page_of({20, 5}), TimePoint{}, kInterval);  // 20 again, 5 out of order
  ASSERT_TRUE(end);
  EXPECT_EQ(end->rows, 4u);
  EXPECT_EQ(uids(b), (std::set<uint64_t>{5, 10, 20, 30}));
  std::vector<uint64_t> order;
  b.for_each([&](const InviteeRow& r) { order.push_back(r.uid); });
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

TEST(InviteeBook, RestoredStateActsAsTheLastAppliedPass) {
  InviteeBook a("usdt", 1000);
  pass(a, range(1, 51), TimePoint{}, 2);
  InviteeBook b("usdt", 1000);
  b.restore(a.state());
  EXPECT_EQ(uids(b), uids(a));
  EXPECT_DOUBLE_EQ(b.totals()->deposits, 100);
  auto end = pass(b, {}, TimePoint{} + kInterval);
  EXPECT_EQ(end->verdict, ShrinkGuard::Verdict::hold) << "an empty first answer after a restart wipes nothing";
  EXPECT_EQ(uids(b).size(), 50u);
}

TEST(AmountSum, SumsCoinwDecimalsExactly) {
  AmountSum tenths;
  double naive = 0;
  for (int i = 0; i < 10; ++i) {
    tenths.add(0.1);
    naive += 0.1;
  }
  EXPECT_NE(naive, 1.0);  // what adding doubles gives
  EXPECT_EQ(tenths.value(), 1.0);
  AmountSum s;
  for (double v : {25278.6272001, 5848.13923634, 56560.51134166, std::nan("")}) s.add(v);
  EXPECT_EQ(s.value(), 87687.2777781);
  AmountSum huge;  // past the exact units: still a sum, not an overflow
  for (int i = 0; i < 100000; ++i) huge.add(8e10);
  EXPECT_DOUBLE_EQ(huge.value(), 8e15);
  huge.add(1e12);
  EXPECT_DOUBLE_EQ(huge.value(), 8e15 + 1e12);
}

}  // namespace
}  // namespace coinw::collect
