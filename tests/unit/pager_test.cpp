#include "api/pager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace coinw::api {
namespace {

InviteeAsset row(uint64_t uid) {
  InviteeAsset a;
  a.uid = uid;
  return a;
}

// A server that caps the page size, as CoinW may; answers a query from `total` rows.
InviteePage serve(const InviteeQuery& q, int64_t total, int cap) {
  InviteePage p;
  p.total = total;
  const int64_t size = std::min(q.page_size, cap);
  for (int64_t i = (q.page_no - 1) * size; i < std::min(total, q.page_no * size); ++i)
    p.rows.push_back(row(static_cast<uint64_t>(1000 + i)));
  return p;
}

std::set<uint64_t> walk(InviteePager& pager, int64_t total, int cap, int* requests) {
  std::set<uint64_t> uids;
  *requests = 0;
  while (!pager.done() && *requests < 1000) {
    auto page = serve(pager.next_query(), total, cap);
    ++*requests;
    for (auto& r : page.rows) uids.insert(r.uid);
    pager.on_page(page);
  }
  return uids;
}

TEST(InviteePager, HonouredPageSize) {
  InviteePager pager("usdt", 100);
  int requests = 0;
  auto uids = walk(pager, 250, 1000, &requests);
  EXPECT_EQ(uids.size(), 250u);
  EXPECT_EQ(requests, 3);
}

TEST(InviteePager, ServerCapsPageSizeBelowTheAsk) {
  InviteePager pager("usdt", 1000);
  int requests = 0;
  auto uids = walk(pager, 1234, 100, &requests);
  EXPECT_EQ(uids.size(), 1234u) << "rows lost when the server capped pageSize";
  EXPECT_EQ(requests, 13);
  EXPECT_EQ(pager.page_size(), 100);
  EXPECT_EQ(pager.next_query().page_size, 100) << "the capped size is asked for explicitly";
}

TEST(InviteePager, ExactMultipleAndEmpty) {
  for (int64_t total : {0, 100, 200}) {
    InviteePager pager("usdc", 100);
    int requests = 0;
    auto uids = walk(pager, total, 100, &requests);
    EXPECT_EQ(static_cast<int64_t>(uids.size()), total);
    EXPECT_LE(requests, std::max<int64_t>(1, total / 100)) << total;
  }
}

TEST(InviteePager, InvalidRowsStillCountForPosition) {
  InviteePager pager("usdt", 2);
  InviteePage first;
  first.total = 3;
  first.rows.push_back(row(1));
  first.invalid_rows = 1;
  pager.on_page(first);
  EXPECT_FALSE(pager.done());
  EXPECT_EQ(pager.next_query().page_no, 2);
  EXPECT_EQ(pager.next_query().page_size, 2);
}

TEST(InviteePager, InconsistentShortPageRestartsThePass) {
  InviteePager pager("usdt", 100);
  pager.on_page(serve(pager.next_query(), 500, 100));
  InviteePage short_page;  // the cap shrank mid-pass
  short_page.total = 500;
  for (int i = 0; i < 30; ++i) short_page.rows.push_back(row(static_cast<uint64_t>(i)));
  EXPECT_FALSE(pager.on_page(short_page));
  EXPECT_EQ(pager.next_query().page_no, 1);
  EXPECT_EQ(pager.next_query().page_size, 30);
}

TEST(InviteePager, QueryCarriesQuote) { EXPECT_EQ(InviteePager("usdc", 10).next_query().quote, "usdc"); }

}  // namespace
}  // namespace coinw::api
