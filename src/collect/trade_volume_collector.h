#pragma once
// The direct invitees' trading volume per day, from "Get Invited Users Trading
// Volume" (docs/coinw-api.md §6), for the days the account's windows cover. A
// past day's volume is final: each closed day is fetched once,
// closed_day_grace after its end, and kept (also in the state file); only the
// open days (today, and yesterday within the grace) are fetched again, every
// open_day_refresh_interval. A window's volume is the sum of its days, shown
// once every one of them was fetched. Days are dates in global.time_zone.
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "collect/collector.h"
#include "collect/window_period.h"

namespace coinw::collect {

class TradeVolumeCollector final : public Collector {
 public:
  TradeVolumeCollector(config::TradeVolumeConfig config, const config::InviteeAssetsConfig& invitees, int offset_s);
  ~TradeVolumeCollector() override;

  std::string_view name() const override { return "invitee_trade_volume"; }
  Lane lane() const override { return Lane::affiliate; }
  std::vector<api::Endpoint> endpoints() const override { return {api::Endpoint::invitee_volume}; }
  std::vector<Pass*> passes() override;
  std::optional<WallTime> full_refresh_time() const override;
  // The open days' volumes go; final days stay.
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const RenderContext& r) const override;
  void collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const override;
  size_t rows() const override;
  // The final days only: the open ones are fetched again anyway.
  StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const override;
  std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) override;

  struct DayRange {
    int32_t first = 0, last = 0;  // days since 1970-01-01, both included
  };

 private:
  class DaysPass;
  struct Day {
    std::map<uint64_t, double> volume;  // by uid
    bool final = false;                 // fetched closed_day_grace after its end: never again
  };
  // What a pass of each kind would fetch now: the open days, or the newest
  // run of closed days not final yet (at most a month).
  std::optional<DayRange> open_days(const Now& now) const;
  std::optional<DayRange> closed_days(const Now& now) const;
  // A walk over `range` completed with `rows` (day, uid -> volume); values are
  // merged, never erased, so an empty or short answer loses nothing known.
  // False when a closed run's answer looked like a glitch: its days stay due.
  bool apply(DayRange range, const std::map<std::pair<int32_t, uint64_t>, double>& rows, bool final, WallTime at);
  // A closed run refused as a bad request is taken as too long (the longest
  // range is undocumented): runs are halved from then on, down to one day, and
  // the log says so. False when the refusal cannot be that.
  bool shorten(const api::ApiError& error, DayRange run);
  bool roll(const Now& now);
  int32_t today() const;
  // Hold mu_:
  bool complete() const;  // every needed day fetched
  bool needed(int32_t day) const;
  bool open(int32_t day, const Now& now) const;

  const config::TradeVolumeConfig config_;
  const std::vector<config::WindowConfig> windows_;
  const config::InviteeAssetsConfig series_;
  const int offset_s_;
  std::unique_ptr<DaysPass> open_, closed_;
  mutable std::mutex mu_;                        // guards what follows: scrapes read while a refresh writes
  std::map<int32_t, Day> days_;                  // fetched days the windows need
  std::vector<std::optional<DayRange>> ranges_;  // per window, up to today; none before it starts
  int32_t today_ = 0;
  int32_t max_closed_run_;  // days per closed run
  std::optional<WallTime> complete_at_;
};

}  // namespace coinw::collect
