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
  pass_rows_ = 0;
}

api::InviteeQuery InviteeBook::next_query() const {
  std::shared_lock lock(mu_);
  return pager_.next_query();
}

namespace {

InviteeRow row_of(const api::InviteeAsset& a, uint32_t pass) {
  InviteeRow row;
  row.uid = a.uid;
  row.total_deposit = a.total_deposit.value_or(kNoAmount);
  row.total_withdrawal = a.total_withdrawal.value_or(kNoAmount);
  row.current_balance = a.current_balance.value_or(kNoAmount);
  row.first_deposit_amount = a.first_deposit_amount.value_or(kNoAmount);
  row.first_deposit_time = a.first_deposit_time.value_or(kNoTime);
  row.update_time = a.update_time.value_or(kNoTime);
  row.pass = pass;
  return row;
}

}  // namespace

void InviteeBook::refresh_row(const api::InviteeAsset& a) {
  std::unique_lock lock(mu_);
  auto it = find_uid(rows_, a.uid);
  if (it != rows_.end() && it->uid == a.uid) {
    *it = row_of(a, it->pass);
  } else {
    // New to the book: it stays until two passes after this one lack it.
    rows_.insert(it, row_of(a, pass_));
  }
}

bool InviteeBook::merge(const api::InviteeAsset& a) { return upsert_by_uid(rows_, row_of(a, pass_)); }

std::optional<PassEnd> InviteeBook::apply(const api::InviteePage& page, TimePoint now, Duration min_interval) {
  std::unique_lock lock(mu_);
  size_t fresh = 0;
  for (const auto& a : page.rows) fresh += merge(a);
  pass_rows_ += fresh;
  if (page.total) total_ = page.total;
  pager_.on_page(page, fresh);
  if (!pager_.done()) return std::nullopt;
  in_pass_ = false;
  return complete(now, min_interval);
}

PassEnd InviteeBook::complete(TimePoint now, Duration min_interval) {
  using Verdict = ShrinkGuard::Verdict;
  PassEnd end{pager_.pages(), pass_rows_, Verdict::apply, 0};
  end.verdict = guard_.judge(pass_rows_, totals_ ? std::optional(totals_->invitees) : std::nullopt, now, min_interval);
  if (end.verdict == Verdict::hold) {
    held_ = pass_;
    return end;
  }
  // The pass before this one that counts as evidence of absence: a held pass
  // only once this one confirmed it, else the last applied one.
  const auto evidence = end.verdict == Verdict::confirm ? held_ : last_applied_;
  if (evidence) {
    const uint32_t before = *evidence;
    end.removed = std::erase_if(rows_, [before](const InviteeRow& r) { return r.pass < before; });
    removed_ += end.removed;
  }
  last_applied_ = pass_;
  held_.reset();
  PassTotals t;
  t.invitees = rows_.size();
  AmountSum deposits, withdrawals, balance;
  for (const auto& r : rows_) {
    deposits.add(r.total_deposit);
    withdrawals.add(r.total_withdrawal);
    balance.add(r.current_balance);
    if (r.first_deposit_time != kNoTime) ++t.depositors;
  }
  t.deposits = deposits.value();
  t.withdrawals = withdrawals.value();
  t.balance = balance.value();
  totals_ = t;
  return end;
}

void InviteeBook::clear() {
  std::unique_lock lock(mu_);
  rows_.clear();
  rows_.shrink_to_fit();
  total_.reset();
  totals_.reset();
  last_applied_.reset();
  held_.reset();
  guard_.reset();
  in_pass_ = false;
}

BookState InviteeBook::state() const {
  std::shared_lock lock(mu_);
  return BookState{rows_, total_, totals_, removed_};
}

void InviteeBook::restore(BookState s) {
  std::unique_lock lock(mu_);
  ++pass_;
  for (auto& r : s.rows) r.pass = pass_;
  rows_ = std::move(s.rows);
  total_ = s.reported;
  totals_ = s.totals;
  removed_ = s.removed;
  last_applied_.reset();
  if (totals_) last_applied_ = pass_;
  held_.reset();
  guard_.reset();
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

std::optional<PassTotals> InviteeBook::totals() const {
  std::shared_lock lock(mu_);
  return totals_;
}

uint64_t InviteeBook::removed() const {
  std::shared_lock lock(mu_);
  return removed_;
}

std::optional<double> InviteeBook::progress() const {
  std::shared_lock lock(mu_);
  if (!in_pass_) return 1.0;
  std::optional<double> whole;
  if (totals_ && totals_->invitees > 0)
    whole = static_cast<double>(totals_->invitees);
  else if (total_ && *total_ > 0)
    whole = static_cast<double>(*total_);
  if (!whole) return std::nullopt;
  return static_cast<double>(pass_rows_) / *whole;
}

}  // namespace coinw::collect
