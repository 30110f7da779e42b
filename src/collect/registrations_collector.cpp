#include "collect/registrations_collector.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "api/pager.h"
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

constexpr int64_t kDay = 86400;
// The zone of registerTime is undocumented (§6): a day either way covers any
// real zone, at both ends of every range and as the overlap of the next walk.
constexpr int64_t kSlack = kDay;
// A refused range longer than a month is taken as too long: CoinW's longest is
// unknown, and a month is the range it answers by default.
constexpr int64_t kMonth = 31 * kDay;
constexpr int64_t kUnknownTime = std::numeric_limits<int64_t>::min();

struct Range {
  int64_t start, end;  // unix seconds, both included
};

// `r` cut at the first second of each month in the zone `offset_s`.
std::vector<Range> by_month(Range r, int offset_s) {
  using namespace std::chrono;
  std::vector<Range> out;
  for (int64_t from = r.start; from <= r.end;) {
    const year_month_day ymd{floor<days>(sys_seconds{seconds{from + offset_s}})};
    const sys_days next_month{(ymd.year() / ymd.month() + months{1}) / 1};
    const int64_t next = duration_cast<seconds>(next_month.time_since_epoch()).count() - offset_s;
    out.push_back({from, std::min(r.end, next - 1)});
    from = next;
  }
  return out;
}

int64_t unix_s(WallTime t) { return static_cast<int64_t>(std::floor(unix_seconds(t))); }

// The rows as select_uids (invitee_series.h) reads them: `top` keeps the newest.
struct SignupRows {
  struct Row {
    uint64_t uid;
    int64_t registered;
  };
  const std::map<uint64_t, int64_t>& rows;
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [uid, t] : rows) f(Row{uid, t});
  }
};

}  // namespace

// One walk over the ranges still to fetch, page by page, newest sign-up first.
class RegistrationsCollector::ListPass final : public Pass {
 public:
  explicit ListPass(RegistrationsCollector& owner)
      : Pass("registrations", ""), owner_(owner), pager_(owner.config_.page_size) {}

  std::optional<Want> wants(const Now& now) const override {
    std::lock_guard lock(mu_);
    if (!ranges_.empty()) return Want{Priority::registrations, false};
    if (started_ && now.steady - *started_ < interval()) return std::nullopt;
    return Want{Priority::registrations, true};
  }
  Duration interval() const override { return owner_.config_.min_refresh_interval; }
  bool roll(const Now& now) override { return owner_.roll(now); }

  Step step(api::Client& client, TimePoint send_deadline, Clock& clock) override {
    api::RegistrationQuery q;
    Range range{};
    {
      std::lock_guard lock(mu_);
      if (ranges_.empty()) begin(Now{clock.now(), clock.wall_now()});
      range = ranges_.front();
      const auto p = pager_.next_query();
      q = {p.page_no, p.page_size, format_coinw_time(range.start, owner_.offset_s_),
           format_coinw_time(range.end, owner_.offset_s_)};
    }
    auto page = client.invitee_list(q, send_deadline);
    Step s;
    s.at = Now{clock.now(), clock.wall_now()};
    if (!page) {
      if (!split(page.error(), range)) s.error = page.error();
      return s;
    }
    size_t fresh = 0;
    for (const auto& row : page.value().rows) fresh += seen_.insert(row.uid).second;
    owner_.add(page.value().rows);
    std::lock_guard lock(mu_);
    // A sign-up while the list is paged shifts every later row by one: a row
    // comes twice (counted once), none is skipped. `fresh` ends a walk that a
    // server ignoring pageNo would keep going.
    pager_.on_page(page.value(), fresh);
    if (!pager_.done()) return s;
    pager_.restart();
    ranges_.erase(ranges_.begin());
    if (!ranges_.empty()) return s;
    s.completed = true;
    completed_at(s.at.wall);
    owner_.walk_complete(walk_start_, s.at.wall);
    return s;
  }

 private:
  // From `since`, or a day before the start of the last complete walk, to a
  // day ahead of now.
  void begin(const Now& now) {
    std::lock_guard lock(owner_.mu_);
    const int64_t since = day_start(owner_.config_.since_day, owner_.offset_s_);
    walk_start_ = unix_s(now.wall);
    const Range all{owner_.covered_to_ ? std::max(since, *owner_.covered_to_ - kSlack) : since, walk_start_ + kSlack};
    ranges_ = owner_.split_ ? by_month(all, owner_.offset_s_) : std::vector<Range>{all};
    seen_.clear();
    started_ = now.steady;
  }

  // A range refused as too long is walked month by month from then on; true
  // when `error` was that refusal. Holds no lock: called between requests.
  bool split(const api::ApiError& error, const Range& range) {
    if (error.reason != api::FailureReason::bad_request || range.end - range.start <= kMonth) return false;
    {
      std::lock_guard lock(owner_.mu_);
      if (owner_.split_) return false;  // already month by month: not the length
      owner_.split_ = true;
    }
    log::warn("CoinW refused the sign-up range as too long; walking it month by month",
              {{"code", error.code}, {"err", error.message}});
    std::lock_guard lock(mu_);
    auto months = by_month(ranges_.front(), owner_.offset_s_);
    ranges_.erase(ranges_.begin());
    ranges_.insert(ranges_.begin(), months.begin(), months.end());
    pager_.restart();
    return true;
  }

  RegistrationsCollector& owner_;
  mutable std::mutex mu_;  // wants() is asked from the scheduler while nothing else runs, but cheaply safe
  api::Pager pager_;
  std::vector<Range> ranges_;  // still to walk; empty: no walk in progress
  std::unordered_set<uint64_t> seen_;
  int64_t walk_start_ = 0;
  std::optional<TimePoint> started_;
};

RegistrationsCollector::RegistrationsCollector(config::RegistrationsConfig config,
                                               const config::InviteeAssetsConfig& invitees, int offset_s,
                                               FirstDepositSource deposits)
    : config_(config),
      windows_(invitees.windows),
      series_(invitees),
      offset_s_(offset_s),
      deposits_(std::move(deposits)),
      pass_(std::make_unique<ListPass>(*this)) {}

RegistrationsCollector::~RegistrationsCollector() = default;

std::vector<Pass*> RegistrationsCollector::passes() { return {pass_.get()}; }

void RegistrationsCollector::add(const std::vector<api::Registration>& rows) {
  std::lock_guard lock(mu_);
  for (const auto& row : rows) {
    // An unreadable time never replaces a known one.
    if (row.registered)
      registered_[row.uid] = *row.registered;
    else
      registered_.try_emplace(row.uid, kUnknownTime);
  }
}

void RegistrationsCollector::walk_complete(int64_t walk_start, WallTime at) {
  std::lock_guard lock(mu_);
  covered_to_ = walk_start;
  completed_ = at;
}

bool RegistrationsCollector::roll(const Now& now) {
  std::vector<Period> periods;
  for (const auto& w : windows_) periods.push_back(period_of(w, unix_s(now.wall), offset_s_));
  std::lock_guard lock(mu_);
  if (periods == periods_) return false;
  periods_ = std::move(periods);
  return true;
}

std::optional<WallTime> RegistrationsCollector::full_refresh_time() const {
  std::lock_guard lock(mu_);
  return completed_;
}

void RegistrationsCollector::collect(exposition::FamilySet& out, const RenderContext& r) const {
  using exposition::sample;
  using exposition::with;
  // Read before our lock: the invitee collector takes its own.
  const std::optional<FirstDeposits> firsts = deposits_ ? deposits_() : std::nullopt;
  std::lock_guard lock(mu_);
  // Until the first complete walk, counts would be of part of the list.
  if (!covered_to_ || !r.fresh) return;
  sample(out, metric::invitees_registered_all_time, r.account, static_cast<double>(registered_.size()));
  auto deposited = [&](uint64_t uid) {
    auto it =
        std::lower_bound(firsts->begin(), firsts->end(), uid, [](const auto& f, uint64_t u) { return f.first < u; });
    return it != firsts->end() && it->first == uid;
  };
  for (size_t i = 0; i < periods_.size() && i < windows_.size(); ++i) {
    const Period& p = periods_[i];
    const auto l = with(r.account, "window", windows_[i].name);
    double signups = 0, cohort = 0;
    for (const auto& [uid, t] : registered_) {
      if (!p.contains(t)) continue;
      ++signups;
      if (firsts && deposited(uid)) ++cohort;
    }
    sample(out, metric::invitees_registered, l, signups);
    if (!firsts) continue;
    double first_deposits = 0;
    for (const auto& f : *firsts) first_deposits += p.contains(f.second);
    sample(out, metric::invitees_window_first_deposits, l, first_deposits);
    sample(out, metric::invitees_window_registered_depositors, l, cohort);
  }
  const Selection uids = select_uids(
      SignupRows{registered_}, [](const SignupRows::Row& row) { return static_cast<double>(row.registered); }, series_);
  for (const auto& [uid, t] : registered_)
    if (t != kUnknownTime && selected(uids, uid))
      sample(out, metric::invitee_registration_timestamp, with(r.account, "uid", std::to_string(uid)),
             static_cast<double>(t));
}

void RegistrationsCollector::collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const {
  sample_pass_progress(out, exposition::with(account, "pass", pass_->name()), *pass_);
}

size_t RegistrationsCollector::rows() const {
  std::lock_guard lock(mu_);
  return registered_.size();
}

StateSlice RegistrationsCollector::snapshot(std::optional<WallTime>, config::NickNamePolicy) const {
  std::lock_guard lock(mu_);
  if (!covered_to_) return {};  // a half walk is walked again
  json rows = json::array();
  for (const auto& [uid, t] : registered_) rows.push_back({uid, t == kUnknownTime ? json() : json(t)});
  return [rows = std::move(rows), since = config_.since_day, covered = *covered_to_, split = split_,
          completed = completed_](json& file) {
    file["invitee_registrations"] = {{"since_day", since},
                                     {"covered_to", covered},
                                     {"split", split},
                                     {"completed_at_ns", time_json(completed)},
                                     {"rows", rows}};
  };
}

std::optional<WallTime> RegistrationsCollector::restore(const json& file, const RestoreContext& r) {
  const auto slice = file.find("invitee_registrations");
  if (slice == file.end()) return std::nullopt;
  // Another `since`: the list is walked again from it.
  if (int_of(slice->at("since_day")) != config_.since_day) return std::nullopt;
  std::map<uint64_t, int64_t> rows;
  for (const auto& row : slice->at("rows"))
    rows[uint_of(row.at(0))] = row.at(1).is_null() ? kUnknownTime : int_of(row.at(1));
  const auto completed = time_of(*slice, "completed_at_ns");
  const int64_t covered = int_of(slice->at("covered_to"));
  const bool split = slice->at("split").get<bool>();
  {
    std::lock_guard lock(mu_);
    registered_ = std::move(rows);
    covered_to_ = covered;
    split_ = split;
    completed_ = completed;
  }
  roll(r.now);
  return completed;
}

}  // namespace coinw::collect
