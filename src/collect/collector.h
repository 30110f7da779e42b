#pragma once
// One collector per CoinW data source, as node_exporter's Collector and
// mysqld_exporter's Scraper: the `collector` label of the health metrics. A
// collector owns its data: the passes that refresh it, how it is rendered,
// when it is dropped as stale, and its slice of the state file. What is common
// to all (single flight, the budget, staleness, success and duration, the
// state file's lifecycle) is the account's (account.h), which holds a list of
// collectors made by make_collectors() (collectors.cpp).
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "collect/pass.h"
#include "config/config.h"
#include "exposition/family_set.h"

namespace coinw::collect {

// Collectors whose endpoints share a rate limit form a lane: the passes of a
// lane are scheduled together (scheduler.h).
enum class Lane { sub_accounts, affiliate };

struct RenderContext {
  exposition::Labels account;  // {account="..."}
  bool fresh;                  // the collector's data is within staleness_limit
  config::NickNamePolicy nick_name;
};

// Reading the state file back at start: values keep their original fetch time,
// and too old ones are not served at all.
struct RestoreContext {
  Now now;
  Duration staleness_limit;
  bool usable(const std::optional<WallTime>& fetched) const {
    return fetched && now.wall - *fetched <= staleness_limit;
  }
  // A time of the file on this run's steady clock.
  TimePoint steady(WallTime t) const {
    return now.steady - std::chrono::duration_cast<Duration>(std::max(now.wall - t, WallTime::duration::zero()));
  }
};

// A part of the state file, copied when taken and written into the file's JSON
// on the writer thread, so a refresh never waits for the encoding. Empty:
// nothing to keep.
using StateSlice = std::function<void(nlohmann::json& file)>;

class Collector {
 public:
  virtual ~Collector() = default;

  virtual std::string_view name() const = 0;
  virtual Lane lane() const = 0;
  virtual std::vector<Pass*> passes() = 0;
  // When all of its data was last refreshed: none until it was once.
  virtual std::optional<WallTime> full_refresh_time() const = 0;
  // One cheap request: its refreshes alone are not worth rewriting the state
  // file for while other collectors of the account write it after theirs.
  virtual bool light() const { return false; }
  // Its data is older than staleness_limit: true when something was dropped.
  virtual bool drop_stale() = 0;
  // Its business data: large, and unchanged between refreshes.
  virtual void collect(exposition::FamilySet& out, const RenderContext& r) const = 0;
  // What changes with every request (per-pass counters): rendered on every scrape.
  virtual void collect_progress(exposition::FamilySet&, const exposition::Labels& /*account*/) const {}
  virtual size_t rows() const = 0;  // for the landing page
  // Its slice of the state file; `fetched`: its last successful answer.
  virtual StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const = 0;
  // Takes its slice back at start; returns when the restored data was fetched,
  // or nothing when none was usable.
  virtual std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) = 0;
};

// The collectors an account's configuration enables, in the order they render.
// `offset_s`: global.time_zone, for the windows.
std::vector<std::unique_ptr<Collector>> make_collectors(const config::AccountConfig& account, int offset_s);

}  // namespace coinw::collect
