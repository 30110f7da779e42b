#include "collect/window_pass.h"

#include <mutex>

#include <nlohmann/json.hpp>

#include "collect/amount_sum.h"
#include "collect/invitee_series.h"
#include "collect/state_codec.h"
#include "common/timefmt.h"
#include "exposition/catalogue.h"
#include "exposition/last_label.h"

namespace coinw::collect {
namespace {

using exposition::Labels;
using exposition::sample;
using nlohmann::json;
namespace metric = exposition::metric;

}  // namespace

WindowPass::WindowPass(config::WindowConfig window, std::string quote, int page_size, int offset_s,
                       Duration refresh_interval, Duration grace)
    : InviteePass(window.name, quote),
      window_(std::move(window)),
      offset_s_(offset_s),
      refresh_interval_(refresh_interval),
      grace_(grace),
      rows_(std::move(quote), page_size) {}

std::string WindowPass::time_text(int64_t t) const { return format_coinw_time(t, offset_s_); }

void WindowPass::reset() {
  rows_.clear();
  totals_.reset();
  stage_ = next_stage(stage_, WindowEvent::reset);
  due_from_.reset();
  completed_wall_.reset();
}

bool WindowPass::roll(const Now& now) {
  const Period p = period_of(window_, unix_whole_seconds(now.wall), offset_s_);
  std::unique_lock lock(mu_);
  if (period_ == p) return false;
  const bool had_data = !rows_.rows().empty() || totals_;
  period_ = p;
  reset();
  return had_data;
}

std::optional<Want> WindowPass::wants(const Now& now) const {
  std::shared_lock lock(mu_);
  if (!period_) return std::nullopt;
  if (stage_ == WindowStage::final) return std::nullopt;
  if (walking(stage_))
    return Want{stage_ == WindowStage::walking ? Priority::open_window : Priority::closed_window, false};
  const int64_t t = unix_whole_seconds(now.wall);
  auto recently_completed = [&] { return due_from_ && now.steady - *due_from_ < refresh_interval_; };
  if (period_->contains(t)) {
    if (recently_completed()) return std::nullopt;
    return Want{Priority::open_window, true};
  }
  if (t < period_->start) return std::nullopt;  // a fixed window yet to begin
  const auto settled = period_->end + std::chrono::duration_cast<std::chrono::seconds>(grace_).count();
  if (t < settled) return std::nullopt;
  // An empty final answer waits a refresh interval for its confirmation.
  if (stage_ == WindowStage::unconfirmed && recently_completed()) return std::nullopt;
  return Want{Priority::closed_window, true};
}

api::InviteeQuery WindowPass::take(const Now& now) {
  std::unique_lock lock(mu_);
  if (!walking(stage_)) {
    rows_.start();
    started_ = now.steady;
    // A pass that starts after the period ended sees it settled: its answer is final.
    const bool settled = unix_whole_seconds(now.wall) > period_->end;
    stage_ = next_stage(stage_, settled ? WindowEvent::start_settled : WindowEvent::start);
  }
  api::InviteeQuery q = rows_.next_query();
  q.start_time = time_text(period_->start);
  q.end_time = time_text(period_->end);
  return q;
}

bool WindowPass::apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) {
  std::unique_lock lock(mu_);
  // An answer for a period that has rolled over since must not mix into the new one.
  if (!walking(stage_) || query.start_time != time_text(period_->start) || query.end_time != time_text(period_->end))
    return false;
  const bool done = rows_.merge_page(page, [](const api::InviteeAsset& a) {
    return WindowRow{a.uid, a.total_deposit.value_or(kNoAmount), a.total_withdrawal.value_or(kNoAmount), 0};
  });
  if (!done) return false;
  // The window's rows are those of this pass: a period has no history to protect.
  rows_.prune_before(rows_.pass());
  WindowTotals t;
  AmountSum deposits, withdrawals;
  for (const auto& r : rows_.rows()) {
    deposits.add(r.deposit);
    withdrawals.add(r.withdrawal);
    if (r.deposit > 0) ++t.depositors;
  }
  t.deposits = deposits.value();
  t.withdrawals = withdrawals.value();
  totals_ = t;
  stage_ = next_stage(stage_, rows_.rows().empty() ? WindowEvent::empty : WindowEvent::rows);
  due_from_ = started_;
  completed_wall_ = now.wall;
  completed_at(now.wall);
  return true;
}

Period WindowPass::period() const {
  std::shared_lock lock(mu_);
  return period_.value_or(Period{});
}

bool WindowPass::final() const {
  std::shared_lock lock(mu_);
  return stage_ == WindowStage::final;
}

std::optional<WindowTotals> WindowPass::totals() const {
  std::shared_lock lock(mu_);
  return totals_;
}

bool WindowPass::drop_stale() {
  std::unique_lock lock(mu_);
  if (stage_ == WindowStage::final || (rows_.rows().empty() && !totals_)) return false;
  reset();
  return true;
}

void WindowPass::collect(exposition::FamilySet& out, const InviteeRender& r) const {
  exposition::Family& deposit = exposition::family(out, metric::invitee_window_deposit);
  exposition::Family& withdrawal = exposition::family(out, metric::invitee_window_withdrawal);
  const Labels window = exposition::with(r.account, "window", name());
  if (quote() == r.config.quotes.front()) {
    const Period p = period();
    sample(out, metric::window_start_timestamp, window, static_cast<double>(p.start));
    sample(out, metric::window_end_timestamp, window, static_cast<double>(p.end));
  }
  // A window fetched for good stays right however long CoinW is unreachable.
  if (!r.fresh && !final()) return;
  const Labels labels = exposition::with(exposition::with(r.account, "quote", quote()), "window", name());
  const auto uids = select_uids(
      *this, [](const WindowRow& row) { return row.deposit; }, r.config);
  exposition::LastLabel uid_labels(labels, "uid");
  for_each([&](const WindowRow& row) {
    if (!selected(uids, row.uid)) return;
    const std::string_view l = uid_labels.with(row.uid);
    if (!std::isnan(row.deposit)) deposit.sample(l, row.deposit);
    if (!std::isnan(row.withdrawal)) withdrawal.sample(l, row.withdrawal);
  });
  // Absent until the period's first pass completes: never a half-walked sum.
  if (const auto t = totals()) {
    sample(out, metric::invitees_window_deposits, labels, t->deposits);
    sample(out, metric::invitees_window_withdrawals, labels, t->withdrawals);
    sample(out, metric::invitees_window_depositors, labels, t->depositors);
  }
}

StateSlice WindowPass::snapshot() const {
  std::shared_lock lock(mu_);
  if (!totals_ || !completed_wall_) return {};
  // Rows a pass in progress has replaced are of the same period, as exposed.
  return [name = name(), quote = quote(), period = *period_, final = stage_ == WindowStage::final,
          complete = *completed_wall_, rows = rows_.rows(), t = *totals_](json& file) {
    json out = json::array();
    for (const auto& r : rows) out.push_back(json::array({r.uid, amount_json(r.deposit), amount_json(r.withdrawal)}));
    file["windows"].push_back(
        {{"window", name},
         {"quote", quote},
         {"start", period.start},
         {"end", period.end},
         {"final", final},
         {"complete_at_ns", time_json(complete)},
         {"totals", {{"deposits", t.deposits}, {"withdrawals", t.withdrawals}, {"depositors", t.depositors}}},
         {"rows", std::move(out)}});
  };
}

bool WindowPass::restore(const json& file, const RestoreContext& r, bool fresh) {
  const auto windows = file.find("windows");  // files written before windows existed have none
  if (windows == file.end()) return false;
  for (const auto& w : *windows) {
    if (w.at("window") != name() || w.at("quote") != quote()) continue;
    const Period saved{int_of(w.at("start")), int_of(w.at("end"))};
    const bool final = w.at("final").get<bool>();
    const WallTime complete = time_of(w, "complete_at_ns").value();
    const json& t = w.at("totals");
    const WindowTotals totals{t.at("deposits").get<double>(), t.at("withdrawals").get<double>(),
                              t.at("depositors").get<double>()};
    std::vector<WindowRow> rows;
    for (const auto& row : w.at("rows")) {
      if (!row.is_array() || row.size() != 3) throw std::invalid_argument("a window row is not an array of 3");
      const uint64_t uid = uint_of(row[0]);
      if (!rows.empty() && rows.back().uid >= uid) throw std::invalid_argument("window rows not in uid order");
      rows.push_back(WindowRow{uid, amount_of(row[1]), amount_of(row[2]), 0});
    }
    if (!final && !fresh) continue;
    std::unique_lock lock(mu_);
    if (!period_ || !(saved == *period_)) continue;
    reset();
    rows_.replace(std::move(rows));
    totals_ = totals;
    if (final) stage_ = next_stage(stage_, WindowEvent::restored_final);
    due_from_ = r.steady(complete);
    completed_wall_ = complete;
    completed_at(complete);
    return true;
  }
  return false;
}

}  // namespace coinw::collect
