#include "api/pager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

namespace coinw::api {
namespace {

InviteeAsset row(uint64_t uid) {
  InviteeAsset a;
  a.uid = uid;
  return a;
}

// A server with `uids` (ascending) that caps the page size at `cap` and reports
// `total` skewed by `skew`, as CoinW might.
struct Server {
  std::vector<uint64_t> uids;
  int cap = 1000;
  int64_t skew = 0;

  InviteePage serve(const InviteeQuery& q) const {
    InviteePage p;
    p.total = std::max<int64_t>(0, static_cast<int64_t>(uids.size()) + skew);
    const int64_t size = std::min(q.page_size, cap);
    const auto n = static_cast<int64_t>(uids.size());
    for (int64_t i = (q.page_no - 1) * size; i < std::min(n, q.page_no * size); ++i)
      p.rows.push_back(row(uids[static_cast<size_t>(i)]));
    return p;
  }
};

Server server(int64_t rows, int cap = 1000, int64_t skew = 0) {
  Server s;
  for (int64_t i = 0; i < rows; ++i) s.uids.push_back(static_cast<uint64_t>(1000 + i));
  s.cap = cap;
  s.skew = skew;
  return s;
}

// One pass; `between` may change the server after each page.
template <class Between>
std::set<uint64_t> walk(InviteePager& pager, Server& s, int* requests, Between between) {
  std::set<uint64_t> uids;
  *requests = 0;
  while (!pager.done() && *requests < 1000) {
    auto page = s.serve(pager.next_query());
    ++*requests;
    size_t fresh = 0;
    for (auto& r : page.rows) fresh += uids.insert(r.uid).second;
    pager.on_page(page, fresh);
    between(s);
  }
  return uids;
}
std::set<uint64_t> walk(InviteePager& pager, Server& s, int* requests) {
  return walk(pager, s, requests, [](Server&) {});
}

TEST(InviteePager, HonouredPageSize) {
  InviteePager pager("usdt", 100);
  auto s = server(250);
  int requests = 0;
  EXPECT_EQ(walk(pager, s, &requests).size(), 250u);
  EXPECT_EQ(requests, 3);
  EXPECT_EQ(pager.pages(), 3);
  EXPECT_EQ(pager.rows_seen(), 250);
}

TEST(InviteePager, ServerCapsPageSizeBelowTheAsk) {
  InviteePager pager("usdt", 1000);
  auto s = server(1234, 100);
  int requests = 0;
  EXPECT_EQ(walk(pager, s, &requests).size(), 1234u) << "rows lost when the server capped pageSize";
  EXPECT_EQ(requests, 13);
  EXPECT_EQ(pager.page_size(), 100);
  EXPECT_EQ(pager.next_query().page_size, 1000) << "the server pages by the size it uses; the ask stays";
}

TEST(InviteePager, CapSmallerThanTheListIsFoundFromPageOne) {
  InviteePager pager("usdt", 1000);
  auto s = server(150, 100);
  pager.on_page(s.serve(pager.next_query()), 100);
  EXPECT_FALSE(pager.done());
  EXPECT_EQ(pager.next_query().page_no, 2);
  EXPECT_EQ(pager.page_size(), 100);
  pager.on_page(s.serve(pager.next_query()), 50);
  EXPECT_TRUE(pager.done()) << "50 rows is a short page against the cap of 100";
}

TEST(InviteePager, ExactMultipleNeedsOneEmptyPageToEnd) {
  for (int64_t rows : {0, 100, 200}) {
    InviteePager pager("usdc", 100);
    auto s = server(rows, 100);
    int requests = 0;
    EXPECT_EQ(static_cast<int64_t>(walk(pager, s, &requests).size()), rows);
    EXPECT_EQ(requests, rows / 100 + 1) << rows;
  }
}

// The figures of the note: requests per pass against pages of data, with CoinW's
// count 3 too high or 3 too low. Before, +3 shrank the page size to 1 (hundreds
// of requests) and -3 ended the pass early.
TEST(InviteePager, SkewedTotalCostsAtMostOneRequestMore) {
  struct Case {
    int64_t rows, skew;
    int requests;
  };
  for (const Case c : {Case{250, +3, 3}, Case{250, -3, 3}, Case{300, +3, 4}, Case{300, -3, 4}, Case{97, +3, 2},
                       Case{103, -3, 2}, Case{50, -3, 1}, Case{50, +3, 2}}) {
    InviteePager pager("usdt", 100);
    auto s = server(c.rows, 100, c.skew);
    int requests = 0;
    EXPECT_EQ(static_cast<int64_t>(walk(pager, s, &requests).size()), c.rows) << c.rows << " skew " << c.skew;
    EXPECT_EQ(requests, c.requests) << c.rows << " skew " << c.skew;
    EXPECT_EQ(pager.next_query().page_size, 100) << "a skewed count never shrinks the page size";
  }
}

TEST(InviteePager, TotalNeverStopsAPassBeforeAShortPage) {
  InviteePager pager("usdt", 100);
  auto s = server(1000, 100, -900);  // says 100 while 1000 are served
  int requests = 0;
  EXPECT_EQ(walk(pager, s, &requests).size(), 1000u);
}

TEST(InviteePager, AbsentTotalIsNoObstacle) {
  InviteePager pager("usdt", 10);
  InviteePage p;
  for (int i = 0; i < 10; ++i) p.rows.push_back(row(static_cast<uint64_t>(i)));
  pager.on_page(p, 10);
  EXPECT_FALSE(pager.done());
  p.rows.resize(4);
  pager.on_page(p, 4);
  EXPECT_TRUE(pager.done());
  EXPECT_EQ(pager.total(), std::nullopt);
}

TEST(InviteePager, ShortPageAfterPageOneEndsThePassAndKeepsTheSize) {
  InviteePager pager("usdt", 100);
  auto s = server(500, 100);
  pager.on_page(s.serve(pager.next_query()), 100);
  InviteePage short_page;
  short_page.total = 500;
  for (int i = 0; i < 30; ++i) short_page.rows.push_back(row(static_cast<uint64_t>(5000 + i)));
  pager.on_page(short_page, 30);
  EXPECT_TRUE(pager.done());
  pager.restart();
  EXPECT_EQ(pager.next_query().page_no, 1);
  EXPECT_EQ(pager.next_query().page_size, 100);
}

TEST(InviteePager, EachPassStartsFromTheConfiguredSize) {
  InviteePager pager("usdt", 1000);
  auto capped = server(1234, 100);
  int requests = 0;
  walk(pager, capped, &requests);
  EXPECT_EQ(pager.page_size(), 100);
  pager.restart();
  EXPECT_EQ(pager.page_size(), 1000) << "a cap seen in one pass is not assumed in the next";
  auto uncapped = server(1234, 1000);
  EXPECT_EQ(walk(pager, uncapped, &requests).size(), 1234u);
  EXPECT_EQ(requests, 2);
}

TEST(InviteePager, InvalidRowsStillCountForPosition) {
  InviteePager pager("usdt", 2);
  InviteePage first;
  first.total = 3;
  first.rows.push_back(row(1));
  first.invalid_rows = 1;
  pager.on_page(first, 1);
  EXPECT_FALSE(pager.done());
  EXPECT_EQ(pager.next_query().page_no, 2);
  EXPECT_EQ(pager.next_query().page_size, 2);
}

TEST(InviteePager, InsertsDuringAPassRepeatARowButLoseNone) {
  InviteePager pager("usdt", 100);
  auto s = server(450, 100);
  uint64_t next_low = 999;
  int requests = 0;
  auto uids = walk(pager, s, &requests, [&](Server& srv) { srv.uids.insert(srv.uids.begin(), next_low--); });
  for (uint64_t uid = 1000; uid < 1450; ++uid) EXPECT_TRUE(uids.count(uid)) << uid;
}

TEST(InviteePager, ServerIgnoringPageNoCannotLoopForever) {
  InviteePager pager("usdt", 10);
  InviteePage same;
  for (int i = 0; i < 10; ++i) same.rows.push_back(row(static_cast<uint64_t>(i)));
  pager.on_page(same, 10);
  pager.on_page(same, 0);
  EXPECT_TRUE(pager.done());
  EXPECT_EQ(pager.pages(), 2);
}

TEST(InviteePager, QueryCarriesQuote) { EXPECT_EQ(InviteePager("usdc", 10).next_query().quote, "usdc"); }

}  // namespace
}  // namespace coinw::api
