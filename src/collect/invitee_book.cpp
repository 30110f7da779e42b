#include "collect/invitee_book.h"

#include "collect/amount_sum.h"

#include <algorithm>
#include <mutex>

namespace coinw::collect {

InviteeBook::InviteeBook(std::string quote, int page_size) : quote_(quote), rows_(std::move(quote), page_size) {}

bool InviteeBook::pass_in_progress() const {
  std::shared_lock lock(mu_);
  return rows_.walking();
}

void InviteeBook::start_pass() {
  std::unique_lock lock(mu_);
  rows_.start();
}

api::InviteeQuery InviteeBook::next_query() const {
  std::shared_lock lock(mu_);
  return rows_.next_query();
}

namespace {

InviteeRow row_of(const api::InviteeAsset& a, uint32_t pass = 0) {
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
  auto& rows = rows_.rows();
  auto it = find_uid(rows, a.uid);
  if (it != rows.end() && it->uid == a.uid) {
    *it = row_of(a, it->pass);
  } else {
    // New to the book: it stays until two passes after this one lack it.
    rows.insert(it, row_of(a, rows_.pass()));
  }
}

std::optional<PassEnd> InviteeBook::apply(const api::InviteePage& page, TimePoint now, Duration min_interval) {
  std::unique_lock lock(mu_);
  if (!rows_.merge_page(page, [](const api::InviteeAsset& a) { return row_of(a); })) return std::nullopt;
  return complete(now, min_interval);
}

PassEnd InviteeBook::complete(TimePoint now, Duration min_interval) {
  using Verdict = ShrinkGuard::Verdict;
  PassEnd end{rows_.pages(), rows_.seen(), Verdict::apply, 0};
  end.verdict =
      guard_.judge(rows_.seen(), totals_ ? std::optional(totals_->invitees) : std::nullopt, now, min_interval);
  if (end.verdict == Verdict::hold) {
    held_ = rows_.pass();
    return end;
  }
  // The pass before this one that counts as evidence of absence: a held pass
  // only once this one confirmed it, else the last applied one.
  const auto evidence = end.verdict == Verdict::confirm ? held_ : last_applied_;
  if (evidence) {
    end.removed = rows_.prune_before(*evidence);
    removed_ += end.removed;
  }
  last_applied_ = rows_.pass();
  held_.reset();
  PassTotals t;
  t.invitees = rows_.rows().size();
  AmountSum deposits, withdrawals, balance;
  for (const auto& r : rows_.rows()) {
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
  totals_.reset();
  last_applied_.reset();
  held_.reset();
  guard_.reset();
}

BookState InviteeBook::state() const {
  std::shared_lock lock(mu_);
  return BookState{rows_.rows(), rows_.total(), totals_, removed_};
}

void InviteeBook::restore(BookState s) {
  std::unique_lock lock(mu_);
  rows_.replace(std::move(s.rows));
  rows_.set_total(s.reported);
  totals_ = s.totals;
  removed_ = s.removed;
  last_applied_.reset();
  if (totals_) last_applied_ = rows_.pass();
  held_.reset();
  guard_.reset();
}

size_t InviteeBook::size() const {
  std::shared_lock lock(mu_);
  return rows_.rows().size();
}

std::optional<int64_t> InviteeBook::total() const {
  std::shared_lock lock(mu_);
  return rows_.total();
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
  if (!rows_.walking()) return 1.0;
  std::optional<double> whole;
  if (totals_ && totals_->invitees > 0)
    whole = static_cast<double>(totals_->invitees);
  else if (const auto total = rows_.total(); total && *total > 0)
    whole = static_cast<double>(*total);
  if (!whole) return std::nullopt;
  return static_cast<double>(rows_.seen()) / *whole;
}

}  // namespace coinw::collect
