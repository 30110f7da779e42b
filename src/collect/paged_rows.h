#pragma once
// The rows one pass walks page by page (a quote's cumulative list, a window):
// kept in a vector sorted by uid, because large affiliates have 100,000
// invitees, each row stamped with the number of the pass that last saw it, and
// the pager (api/pager.h) that decides the next page. What a complete walk may
// remove is the owner's decision (prune_before); this type only keeps count.
// Not synchronized: its owner locks.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "api/pager.h"

namespace coinw::collect {

// In rows sorted by uid: the uid's row, or where it goes.
template <class Row>
typename std::vector<Row>::iterator find_uid(std::vector<Row>& rows, uint64_t uid) {
  return std::lower_bound(rows.begin(), rows.end(), uid, [](const Row& r, uint64_t u) { return r.uid < u; });
}

// Puts `row` in its place, replacing the uid's old row; true when the uid is
// new to the pass `row.pass` (rows may come twice while invitees join). Pages
// come in uid order, so during a first pass this is an append.
template <class Row>
bool upsert_by_uid(std::vector<Row>& rows, const Row& row) {
  if (rows.empty() || rows.back().uid < row.uid) {
    rows.push_back(row);
    return true;
  }
  auto it = find_uid(rows, row.uid);
  if (it != rows.end() && it->uid == row.uid) {
    const bool fresh = it->pass != row.pass;
    *it = row;
    return fresh;
  }
  rows.insert(it, row);
  return true;
}

template <class Row>
class PagedRows {
 public:
  PagedRows(std::string quote, int page_size) : pager_(std::move(quote), page_size) {}

  bool walking() const { return walking_; }
  uint32_t pass() const { return pass_; }
  // Starts a new pass from the first page.
  void start() {
    pager_.restart();
    walking_ = true;
    ++pass_;
    seen_ = 0;
  }
  api::InviteeQuery next_query() const { return pager_.next_query(); }
  // Merges the page answered to next_query(), `convert` turning each answer row
  // into a Row; true when it ended the pass.
  template <class Convert>
  bool merge_page(const api::InviteePage& page, Convert convert) {
    size_t fresh = 0;
    for (const auto& a : page.rows) {
      Row r = convert(a);
      r.pass = pass_;
      fresh += upsert_by_uid(rows_, r);
    }
    seen_ += fresh;
    if (page.total) total_ = page.total;
    pager_.on_page(page, fresh);
    if (pager_.done()) walking_ = false;
    return !walking_;
  }
  // Removes the rows no pass since `pass` has seen; how many.
  size_t prune_before(uint32_t pass) {
    return std::erase_if(rows_, [pass](const Row& r) { return r.pass < pass; });
  }
  // Rows from elsewhere (the state file), as if a pass had just seen them all.
  void replace(std::vector<Row> rows) {
    ++pass_;
    for (auto& r : rows) r.pass = pass_;
    rows_ = std::move(rows);
    walking_ = false;
  }
  void clear() {
    rows_.clear();
    rows_.shrink_to_fit();
    total_.reset();
    walking_ = false;
  }

  std::vector<Row>& rows() { return rows_; }
  const std::vector<Row>& rows() const { return rows_; }
  size_t seen() const { return seen_; }  // distinct uids of the pass in progress
  int pages() const { return pager_.pages(); }
  std::optional<int64_t> total() const { return total_; }  // data.total as CoinW last said
  void set_total(std::optional<int64_t> t) { total_ = t; }

 private:
  std::vector<Row> rows_;
  api::InviteePager pager_;
  uint32_t pass_ = 0;
  bool walking_ = false;
  size_t seen_ = 0;
  std::optional<int64_t> total_;
};

}  // namespace coinw::collect
