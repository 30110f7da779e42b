#pragma once
// Everything the exporter knows about one configured account: its API client
// and its collectors (collector.h), and what is common to them: the refresh,
// staleness, the data version, success and duration per collector, and the
// account's state file.
//
// A scrape triggers everything, and the refresh it starts uses the whole rate
// CoinW allows: each lane (the collectors that share a rate limit) refreshes on
// a thread of its own, which goes on after the scrape's answer is sent, until
// nothing is due; it stays awake while a pass may still start (a scrape came
// within that pass's interval, scheduler.h), then ends. A scrape waits for the
// lanes up to its deadline and serves what is ready; concurrent scrapes join
// the running refresh (single flight), so an HA pair costs CoinW one refresh.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/client.h"
#include "collect/api_metrics.h"
#include "collect/client_settings.h"
#include "collect/collector.h"
#include "collect/scheduler.h"
#include "collect/state_file.h"
#include "config/config.h"
#include "exposition/family_set.h"

namespace coinw::collect {

struct CollectorHealth {
  std::optional<bool> success;  // of the last refresh that tried anything
  double duration_seconds = 0;
  std::optional<WallTime> last_success;
  std::optional<TimePoint> last_success_steady;  // for the staleness limit
  std::optional<WallTime> last_full_refresh;
};

// What the landing page shows.
struct CollectorStatus {
  std::string name;
  CollectorHealth health;
  size_t rows = 0;
};
struct AccountStatus {
  std::string name;
  std::vector<CollectorStatus> collectors;
};

// Settings read at collect time, so a reload can change them without
// dropping cached data.
struct ExposeSettings {
  config::NickNamePolicy nick_name = config::NickNamePolicy::masked;
  Duration staleness_limit = std::chrono::minutes(15);
};

// Everything an account's business data exposition depends on: while it stays
// equal, a rendering of that data can be served again.
struct DataKey {
  uint64_t version = 0;     // changes whenever cached data changes
  std::vector<bool> fresh;  // per collector: within staleness_limit
  config::NickNamePolicy nick_name = config::NickNamePolicy::masked;
  bool operator==(const DataKey&) const = default;
};

class AccountCollector {
 public:
  // Called once per lane: lanes send at the same time, and a transport (one
  // keep-alive connection) carries one request at a time.
  using TransportSource = std::function<std::unique_ptr<api::Transport>()>;
  AccountCollector(const config::AccountConfig& account, const ClientSettings& settings, ratelimit::RateGate& gate,
                   Clock& clock, const TransportSource& transports);
  ~AccountCollector();  // stop()s

  const std::string& name() const { return name_; }
  // A scrape: wakes (or starts) the refresh, then waits until it has done what
  // is due or `deadline` passes, whichever is first.
  void refresh(TimePoint deadline, const ExposeSettings& settings);
  // Cancels the refresh at its next request boundary and waits for it (shutdown,
  // or a reload that replaces the account). Idempotent; refresh() does nothing after.
  void stop();
  DataKey data_key(const ExposeSettings& settings) const;
  // The business data of every collector: large, and unchanged between refreshes.
  void collect_data(exposition::FamilySet& out, const DataKey& key) const;
  // Health and API metrics: small, and changed by every request.
  void collect_health(exposition::FamilySet& out) const;
  AccountStatus status() const;

  // global.state_dir: the directory this account's file lives in (null: off).
  // It is written after a refresh that completed a pass, and by save_state()
  // (at shutdown).
  void use_state(std::shared_ptr<StateDir> dir);
  // Queues a write of what the account holds now.
  void save_state(config::NickNamePolicy nick);
  // Loads the file once, at start.
  void restore_state(Duration staleness_limit);

 private:
  struct LaneWorker;
  void work(LaneWorker& lane);
  // Between rounds: true when the lane should run again, false when it ends.
  bool idle(LaneWorker& lane, std::unique_lock<std::mutex>& lock);
  void record(LaneWorker& lane, const Scheduler::Outcome& outcome);
  void save(config::NickNamePolicy nick, bool only_if_dirty);
  void drop_stale(const std::vector<size_t>& collectors, const ExposeSettings& settings);
  bool stale(const CollectorHealth& h, const ExposeSettings& s) const;
  void answered(size_t collector, bool completed, const Now& now);
  void data_changed() { data_version_.fetch_add(1, std::memory_order_release); }

  const std::string name_;
  Clock& clock_;
  // Built once; the lists never change.
  const std::vector<std::unique_ptr<Collector>> collectors_;
  ApiMetrics api_metrics_;
  std::vector<std::unique_ptr<LaneWorker>> lanes_;
  bool all_light_ = true;  // no collector's completion is worth a save on its own
  std::atomic<uint64_t> data_version_{0};
  std::atomic<bool> stopping_{false};

  std::mutex flight_mu_;  // guards the lanes' threads and flags, and what follows
  std::condition_variable flight_cv_;
  TimePoint last_scrape_{};
  uint64_t scrapes_ = 0;   // scrapes so far: a lane is idle for a scrape once it saw it
  ExposeSettings expose_;  // of the last scrape

  mutable std::mutex mu_;                // guards what follows; scrapes read it while a refresh writes
  std::vector<CollectorHealth> health_;  // per collector
  std::vector<bool> failing_;            // per collector: in the refresh in progress
  std::shared_ptr<StateDir> state_;
  bool state_dirty_ = false;  // something to save since the last save
  uint64_t state_load_failures_ = 0;
};

}  // namespace coinw::collect
