#include "collect/invitee_book.h"

#include <algorithm>
#include <mutex>

namespace coinw::collect {

InviteeBook::InviteeBook(std::string quote, int page_size) : quote_(quote), pager_(std::move(quote), page_size) {}

bool InviteeBook::pass_in_progress() const {
  std::shared_lock lock(mu_);
  return in_pass_;
}

void InviteeBook::start_pass() {
  std::unique_lock lock(mu_);
  pager_.restart();
  in_pass_ = true;
  ++pass_;
}

api::InviteeQuery InviteeBook::next_query() const {
  std::shared_lock lock(mu_);
  return pager_.next_query();
}

void InviteeBook::merge(const api::InviteeAsset& a) {
  InviteeRow row;
  row.uid = a.uid;
  row.total_deposit = a.total_deposit.value_or(kNoAmount);
  row.total_withdrawal = a.total_withdrawal.value_or(kNoAmount);
  row.current_balance = a.current_balance.value_or(kNoAmount);
  row.first_deposit_amount = a.first_deposit_amount.value_or(kNoAmount);
  row.first_deposit_time = a.first_deposit_time.value_or(kNoTime);
  row.update_time = a.update_time.value_or(kNoTime);
  row.pass = pass_;
  // Pages come in uid order, so during the first pass this is an append.
  if (rows_.empty() || rows_.back().uid < row.uid) {
    rows_.push_back(row);
    return;
  }
  auto it = std::lower_bound(rows_.begin(), rows_.end(), row.uid,
                             [](const InviteeRow& r, uint64_t uid) { return r.uid < uid; });
  if (it != rows_.end() && it->uid == row.uid) {
    *it = row;
  } else {
    rows_.insert(it, row);
  }
}

bool InviteeBook::apply(const api::InviteePage& page) {
  std::unique_lock lock(mu_);
  for (const auto& a : page.rows) merge(a);
  total_ = page.total;
  // A restarted walk keeps the rows seen so far: they count for this pass.
  pager_.on_page(page);
  if (!pager_.done()) return false;
  const uint32_t pass = pass_;
  std::erase_if(rows_, [pass](const InviteeRow& r) { return r.pass != pass; });
  in_pass_ = false;
  return true;
}

void InviteeBook::clear() {
  std::unique_lock lock(mu_);
  rows_.clear();
  rows_.shrink_to_fit();
  total_.reset();
  in_pass_ = false;
}

size_t InviteeBook::size() const {
  std::shared_lock lock(mu_);
  return rows_.size();
}

std::optional<int64_t> InviteeBook::total() const {
  std::shared_lock lock(mu_);
  return total_;
}

}  // namespace coinw::collect
