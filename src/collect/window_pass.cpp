#include "collect/window_pass.h"

#include <algorithm>
#include <mutex>

#include "common/timefmt.h"

namespace coinw::collect {
namespace {

int64_t unix_s(WallTime t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

}  // namespace

WindowPass::WindowPass(config::WindowConfig window, std::string quote, int page_size, int offset_s,
                       Duration refresh_interval, Duration grace)
    : Pass(window.name, quote),
      window_(std::move(window)),
      offset_s_(offset_s),
      refresh_interval_(refresh_interval),
      grace_(grace),
      pager_(std::move(quote), page_size) {}

std::string WindowPass::time_text(int64_t t) const { return format_coinw_time(t, offset_s_); }

void WindowPass::reset() {
  rows_.clear();
  rows_.shrink_to_fit();
  totals_.reset();
  in_pass_ = pass_final_ = final_ = empty_once_ = false;
  completed_.reset();
  completed_wall_.reset();
}

bool WindowPass::roll(const Now& now) {
  const Period p = period_of(window_, unix_s(now.wall), offset_s_);
  std::unique_lock lock(mu_);
  if (rolled_ && p == period_) return false;
  const bool had_data = !rows_.empty() || totals_;
  rolled_ = true;
  period_ = p;
  reset();
  return had_data;
}

std::optional<Want> WindowPass::wants(const Now& now) const {
  std::shared_lock lock(mu_);
  if (in_pass_) return Want{pass_final_ ? Priority::closed_window : Priority::open_window, false};
  if (final_) return std::nullopt;
  const int64_t t = unix_s(now.wall);
  if (period_.contains(t)) {
    if (completed_ && now.steady - *completed_ < refresh_interval_) return std::nullopt;
    return Want{Priority::open_window, true};
  }
  if (t < period_.start) return std::nullopt;  // a fixed window yet to begin
  const auto settled = period_.end + std::chrono::duration_cast<std::chrono::seconds>(grace_).count();
  if (t < settled) return std::nullopt;
  // An empty final answer waits a refresh interval for its confirmation.
  if (empty_once_ && completed_ && now.steady - *completed_ < refresh_interval_) return std::nullopt;
  return Want{Priority::closed_window, true};
}

api::InviteeQuery WindowPass::take(const Now& now) {
  std::unique_lock lock(mu_);
  if (!in_pass_) {
    pager_.restart();
    in_pass_ = true;
    ++pass_;
    // A pass that starts after the period ended sees it settled: its answer is final.
    pass_final_ = unix_s(now.wall) > period_.end;
  }
  api::InviteeQuery q = pager_.next_query();
  q.start_time = time_text(period_.start);
  q.end_time = time_text(period_.end);
  return q;
}

bool WindowPass::apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) {
  std::unique_lock lock(mu_);
  // An answer for a period that has rolled over since must not mix into the new one.
  if (!in_pass_ || query.start_time != time_text(period_.start) || query.end_time != time_text(period_.end))
    return false;
  size_t fresh = 0;
  for (const auto& a : page.rows)
    fresh += upsert_by_uid(rows_, WindowRow{a.uid, a.total_deposit.value_or(kNoAmount),
                                            a.total_withdrawal.value_or(kNoAmount), pass_});
  pager_.on_page(page, fresh);
  if (!pager_.done()) return false;
  // The window's rows are those of this pass: a period has no history to protect.
  const uint32_t pass = pass_;
  std::erase_if(rows_, [pass](const WindowRow& r) { return r.pass != pass; });
  WindowTotals t;
  AmountSum deposits, withdrawals;
  for (const auto& r : rows_) {
    deposits.add(r.deposit);
    withdrawals.add(r.withdrawal);
    if (r.deposit > 0) ++t.depositors;
  }
  t.deposits = deposits.value();
  t.withdrawals = withdrawals.value();
  totals_ = t;
  in_pass_ = false;
  // An answer with no rows is final only when a second pass says the same: a
  // glitch (CoinW answering an empty success) must not be kept for good.
  const bool empty = rows_.empty();
  final_ = pass_final_ && (!empty || empty_once_);
  empty_once_ = pass_final_ && empty && !final_;
  completed_ = now.steady;
  completed_wall_ = now.wall;
  completed_at(now.wall);
  return true;
}

Period WindowPass::period() const {
  std::shared_lock lock(mu_);
  return period_;
}

bool WindowPass::final() const {
  std::shared_lock lock(mu_);
  return final_;
}

std::optional<WindowTotals> WindowPass::totals() const {
  std::shared_lock lock(mu_);
  return totals_;
}

bool WindowPass::clear_unless_final() {
  std::unique_lock lock(mu_);
  if (final_ || (rows_.empty() && !totals_)) return false;
  reset();
  return true;
}

std::optional<WindowState> WindowPass::state() const {
  std::shared_lock lock(mu_);
  if (!totals_ || !completed_wall_) return std::nullopt;
  // Rows a pass in progress has replaced are of the same period, as exposed.
  return WindowState{window_.name, quote(), period_, final_, *completed_wall_, rows_, *totals_};
}

bool WindowPass::restore(const WindowState& s, TimePoint steady) {
  std::unique_lock lock(mu_);
  if (!rolled_ || s.window != window_.name || s.quote != quote() || !(s.period == period_)) return false;
  reset();
  rows_ = s.rows;
  for (auto& r : rows_) r.pass = pass_;
  totals_ = s.totals;
  final_ = s.final;
  completed_ = steady;
  completed_wall_ = s.complete;
  completed_at(s.complete);
  return true;
}

}  // namespace coinw::collect
