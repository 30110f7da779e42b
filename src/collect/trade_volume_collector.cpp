#include "collect/trade_volume_collector.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "api/pager.h"
#include "collect/amount_sum.h"
#include "collect/invitee_series.h"
#include "collect/pass_progress.h"
#include "collect/state_codec.h"
#include "common/timefmt.h"
#include "exposition/catalogue.h"
#include "log/log.h"

namespace coinw::collect {
namespace {

using nlohmann::json;
namespace metric = exposition::metric;

// CoinW's longest volume range is unknown; it answers 30 days by default, so a
// walk over closed days asks for at most that, and for half as many after a
// refusal (TradeVolumeCollector::shorten).
constexpr int32_t kMaxClosedRun = 30;

int64_t unix_s(WallTime t) { return static_cast<int64_t>(std::floor(unix_seconds(t))); }

// A window's per-uid sums, as select_uids (invitee_series.h) reads them.
struct UidVolumes {
  struct Row {
    uint64_t uid;
    double volume;
  };
  std::map<uint64_t, AmountSum> sums;
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [uid, s] : sums) f(Row{uid, s.value()});
  }
};

}  // namespace

// One kind of walk (the open days, or a run of closed days), page by page.
class TradeVolumeCollector::DaysPass final : public Pass {
 public:
  DaysPass(TradeVolumeCollector& owner, bool open)
      : Pass(open ? "open_day" : "closed_days", ""), owner_(owner), open_(open), pager_(owner.config_.page_size) {}

  std::optional<Want> wants(const Now& now) const override {
    std::lock_guard lock(mu_);
    const Priority priority = open_ ? Priority::open_day : Priority::closed_days;
    if (walk_) return Want{priority, false};
    if (next_ && now.steady < *next_) return std::nullopt;
    if (!range(now)) return std::nullopt;
    return Want{priority, true};
  }
  Duration interval() const override { return owner_.config_.open_day_refresh_interval; }
  // Both passes read the same days: one of them moves them.
  bool roll(const Now& now) override { return open_ && owner_.roll(now); }

  Step step(api::Client& client, TimePoint send_deadline, Clock& clock) override {
    api::VolumeQuery q;
    DayRange asked;
    {
      std::lock_guard lock(mu_);
      if (!walk_) begin(Now{clock.now(), clock.wall_now()});
      const auto p = pager_.next_query();
      q.page_no = p.page_no;
      q.page_size = p.page_size;
      q.first_day = walk_->first;
      q.last_day = walk_->last;
      asked = *walk_;
    }
    auto page = client.invitee_volume(q, send_deadline);
    Step s;
    s.at = Now{clock.now(), clock.wall_now()};
    if (!page) {
      if (open_ || !owner_.shorten(page.error(), asked)) {
        s.error = page.error();
        return s;
      }
      std::lock_guard lock(mu_);  // the same days again, fewer at a time
      walk_.reset();
      rows_.clear();
      return s;
    }
    std::lock_guard lock(mu_);
    size_t fresh = 0;
    for (const auto& row : page.value().rows) fresh += rows_.insert_or_assign({row.day, row.uid}, row.volume).second;
    // Rows move between pages while invitees trade (a new row shifts the later
    // ones): one may come twice, and a later walk catches up with the rest.
    pager_.on_page(page.value(), fresh);
    if (!pager_.done()) return s;
    const bool settled = owner_.apply(*walk_, rows_, !open_, s.at.wall);
    walk_.reset();
    rows_.clear();
    // An unsettled closed run is asked again an interval later, not at once.
    if (!settled) next_ = started_ + interval();
    completed_at(s.at.wall);
    s.completed = true;
    return s;
  }

 private:
  std::optional<DayRange> range(const Now& now) const {
    return open_ ? owner_.open_days(now) : owner_.closed_days(now);
  }
  void begin(const Now& now) {
    walk_ = range(now);
    if (!walk_) walk_ = DayRange{owner_.today(), owner_.today()};  // wants() said otherwise a moment ago
    pager_.restart();
    started_ = now.steady;
    // The open days are due an interval after a walk's start.
    next_ = open_ ? std::optional(started_ + interval()) : std::nullopt;
  }

  TradeVolumeCollector& owner_;
  const bool open_;
  mutable std::mutex mu_;  // before owner_.mu_
  api::Pager pager_;
  std::optional<DayRange> walk_;
  std::map<std::pair<int32_t, uint64_t>, double> rows_;  // of the walk in progress
  TimePoint started_{};
  std::optional<TimePoint> next_;  // not before
};

TradeVolumeCollector::TradeVolumeCollector(config::TradeVolumeConfig config,
                                           const config::InviteeAssetsConfig& invitees, int offset_s)
    : config_(config),
      windows_(invitees.windows),
      series_(invitees),
      offset_s_(offset_s),
      open_(std::make_unique<DaysPass>(*this, true)),
      closed_(std::make_unique<DaysPass>(*this, false)),
      max_closed_run_(kMaxClosedRun) {}

TradeVolumeCollector::~TradeVolumeCollector() = default;

std::vector<Pass*> TradeVolumeCollector::passes() { return {open_.get(), closed_.get()}; }

int32_t TradeVolumeCollector::today() const {
  std::lock_guard lock(mu_);
  return today_;
}

bool TradeVolumeCollector::needed(int32_t day) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const auto& r) { return r && r->first <= day && day <= r->last; });
}

// A day is open until closed_day_grace after its end.
bool TradeVolumeCollector::open(int32_t day, const Now& now) const {
  const auto end = std::chrono::seconds(day_start(day + 1, offset_s_));
  return WallTime(std::chrono::duration_cast<WallTime::duration>(end)) + config_.closed_day_grace > now.wall;
}

std::optional<TradeVolumeCollector::DayRange> TradeVolumeCollector::open_days(const Now& now) const {
  std::lock_guard lock(mu_);
  std::optional<DayRange> out;
  for (int32_t d = today_; open(d, now); --d)
    if (needed(d)) out = DayRange{d, out ? out->last : d};
  return out;
}

std::optional<TradeVolumeCollector::DayRange> TradeVolumeCollector::closed_days(const Now& now) const {
  std::lock_guard lock(mu_);
  auto due = [&](int32_t d) {
    auto it = days_.find(d);
    return needed(d) && !open(d, now) && (it == days_.end() || !it->second.final);
  };
  std::optional<int32_t> newest;
  for (const auto& r : ranges_)
    if (r)
      for (int32_t d = r->last; d >= r->first; --d)
        if (due(d)) {
          newest = std::max(newest.value_or(d), d);
          break;
        }
  if (!newest) return std::nullopt;
  DayRange run{*newest, *newest};
  while (run.last - run.first + 1 < max_closed_run_ && due(run.first - 1)) --run.first;
  return run;
}

bool TradeVolumeCollector::shorten(const api::ApiError& error, DayRange run) {
  const int32_t days = run.last - run.first + 1;
  if (error.reason != api::FailureReason::bad_request || days <= 1) return false;
  int32_t now_at_most = 0;
  {
    std::lock_guard lock(mu_);
    max_closed_run_ = now_at_most = std::min(max_closed_run_, std::max(1, days / 2));
  }
  log::warn("CoinW refused a volume range as too long; asking for fewer days at a time",
            {{"days", std::to_string(days)}, {"now_at_most", std::to_string(now_at_most)}, {"code", error.code}});
  return true;
}

bool TradeVolumeCollector::apply(DayRange range, const std::map<std::pair<int32_t, uint64_t>, double>& rows, bool final,
                                 WallTime at) {
  std::lock_guard lock(mu_);
  bool known = false;
  for (int32_t d = range.first; d <= range.last; ++d) {
    auto it = days_.find(d);
    known = known || (it != days_.end() && !it->second.volume.empty());
  }
  // Nothing at all for days that had volume: more likely a glitch than the
  // truth, so the days stay open to one more fetch.
  const bool settled = !(final && rows.empty() && known);
  if (!settled) log::warn("empty volume answer for days with known volume; asking again later", {});
  for (int32_t d = range.first; d <= range.last; ++d)
    if (needed(d)) days_[d].final = days_[d].final || (final && settled);
  for (const auto& [key, volume] : rows)
    if (needed(key.first)) days_[key.first].volume[key.second] = volume;
  if (complete()) complete_at_ = at;
  return settled;
}

bool TradeVolumeCollector::complete() const {
  for (const auto& r : ranges_)
    if (r)
      for (int32_t d = r->first; d <= r->last; ++d)
        if (!days_.count(d)) return false;
  return true;
}

bool TradeVolumeCollector::roll(const Now& now) {
  const int64_t t = unix_s(now.wall);
  std::vector<std::optional<DayRange>> ranges;
  const int32_t today = local_day(t, offset_s_);
  for (const auto& w : windows_) {
    const Period p = period_of(w, t, offset_s_);
    if (p.start > t)
      ranges.emplace_back();
    else
      ranges.push_back(DayRange{local_day(p.start, offset_s_), std::min(local_day(p.end, offset_s_), today)});
  }
  std::lock_guard lock(mu_);
  bool changed = today != today_ || ranges.size() != ranges_.size();
  for (size_t i = 0; !changed && i < ranges.size(); ++i)
    changed = ranges[i].has_value() != ranges_[i].has_value() ||
              (ranges[i] && (ranges[i]->first != ranges_[i]->first || ranges[i]->last != ranges_[i]->last));
  if (!changed) return false;
  today_ = today;
  ranges_ = std::move(ranges);
  std::erase_if(days_, [&](const auto& d) { return !needed(d.first); });
  return true;
}

std::optional<WallTime> TradeVolumeCollector::full_refresh_time() const {
  std::lock_guard lock(mu_);
  return complete_at_;
}

bool TradeVolumeCollector::drop_stale() {
  std::lock_guard lock(mu_);
  return std::erase_if(days_, [](const auto& d) { return !d.second.final; }) > 0;
}

void TradeVolumeCollector::collect(exposition::FamilySet& out, const RenderContext& r) const {
  using exposition::sample;
  using exposition::with;
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < ranges_.size() && i < windows_.size(); ++i) {
    const auto& range = ranges_[i];
    if (!range) continue;
    UidVolumes v;
    bool whole = true, final = true;
    for (int32_t d = range->first; d <= range->last && whole; ++d) {
      auto it = days_.find(d);
      whole = it != days_.end();
      if (!whole) break;
      final = final && it->second.final;
      for (const auto& [uid, volume] : it->second.volume) v.sums[uid].add(volume);
    }
    // Never a sum of part of its days; a final window needs no fresh data.
    if (!whole || (!r.fresh && !final)) continue;
    const auto l = with(r.account, "window", windows_[i].name);
    AmountSum total;
    double traders = 0;
    for (const auto& [uid, s] : v.sums) {
      total.add(s.value());
      traders += s.value() > 0;
    }
    sample(out, metric::invitees_window_trade_volume, l, total.value());
    sample(out, metric::invitees_window_traders, l, traders);
    const Selection uids = select_uids(
        v, [](const UidVolumes::Row& row) { return row.volume; }, series_);
    for (const auto& [uid, s] : v.sums)
      if (selected(uids, uid))
        sample(out, metric::invitee_window_trade_volume, with(l, "uid", std::to_string(uid)), s.value());
  }
}

void TradeVolumeCollector::collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const {
  for (const Pass* p : {static_cast<const Pass*>(open_.get()), static_cast<const Pass*>(closed_.get())})
    sample_pass_progress(out, exposition::with(account, "pass", p->name()), *p);
}

size_t TradeVolumeCollector::rows() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [d, day] : days_) n += day.volume.size();
  return n;
}

StateSlice TradeVolumeCollector::snapshot(std::optional<WallTime>, config::NickNamePolicy) const {
  std::lock_guard lock(mu_);
  json days = json::array();
  for (const auto& [d, day] : days_) {
    if (!day.final) continue;
    json rows = json::array();
    for (const auto& [uid, volume] : day.volume) rows.push_back({uid, amount_json(volume)});
    days.push_back({{"day", d}, {"rows", std::move(rows)}});
  }
  if (days.empty()) return {};
  return [days = std::move(days)](json& file) { file["invitee_trade_volume"] = {{"final_days", days}}; };
}

std::optional<WallTime> TradeVolumeCollector::restore(const json& file, const RestoreContext& r) {
  const auto slice = file.find("invitee_trade_volume");
  if (slice == file.end()) return std::nullopt;
  roll(r.now);
  std::map<int32_t, Day> days;
  for (const auto& d : slice->at("final_days")) {
    const int64_t day = int_of(d.at("day"));
    if (day < INT32_MIN || day > INT32_MAX) throw std::invalid_argument("day out of range");
    Day& out = days[static_cast<int32_t>(day)];
    out.final = true;
    for (const auto& row : d.at("rows")) out.volume[uint_of(row.at(0))] = amount_of(row.at(1));
  }
  std::lock_guard lock(mu_);
  for (auto& [d, day] : days)
    if (needed(d)) days_[d] = std::move(day);
  // Final days serve without fresh data: there is no fetch time to restore.
  return std::nullopt;
}

}  // namespace coinw::collect
