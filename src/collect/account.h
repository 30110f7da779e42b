#pragma once
// Everything the exporter knows about one configured account: its API client
// and its collectors (collector.h), and what is common to them: single flight,
// the scrape's budget, staleness, the data version, success and duration per
// collector, and the account's state file. A scrape calls refresh() with its
// deadline, then renders; refreshes are single-flight, so concurrent scrapes
// cost the API no more than one.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
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
  uint64_t version = 0;      // changes whenever cached data changes
  std::vector<bool> fresh;  // per collector: within staleness_limit
  config::NickNamePolicy nick_name = config::NickNamePolicy::masked;
  bool operator==(const DataKey&) const = default;
};

class AccountCollector {
 public:
  AccountCollector(const config::AccountConfig& account, const ClientSettings& settings, ratelimit::RateGate& gate,
                   Clock& clock, std::unique_ptr<api::Transport> transport);

  const std::string& name() const { return name_; }
  void refresh(TimePoint deadline, const ExposeSettings& settings);
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
  void save(config::NickNamePolicy nick, bool only_if_dirty);
  void drop_stale(const ExposeSettings& settings);
  TimePoint send_deadline(TimePoint deadline) const;
  bool stale(const CollectorHealth& h, const ExposeSettings& s) const;
  void answered(size_t collector, bool completed, const Now& now);
  void data_changed() { data_version_.fetch_add(1, std::memory_order_release); }

  const std::string name_;
  Clock& clock_;
  std::unique_ptr<api::Transport> transport_;
  ApiMetrics api_metrics_;
  api::Client client_;
  // Built once; the list never changes.
  const std::vector<std::unique_ptr<Collector>> collectors_;
  std::vector<Scheduler> lanes_;
  bool all_light_ = true;  // no collector's completion is worth a save on its own

  // Single flight: one refresh at a time; scrapes that arrive meanwhile wait
  // for it (up to their deadline) and serve its result.
  std::mutex flight_mu_;
  std::condition_variable flight_done_;
  bool in_flight_ = false;
  std::optional<TimePoint> last_refresh_end_;
  std::atomic<uint64_t> data_version_{0};

  mutable std::mutex mu_;  // guards what follows; scrapes read it while a refresh writes
  std::vector<CollectorHealth> health_;  // per collector
  std::shared_ptr<StateDir> state_;
  bool state_dirty_ = false;  // something to save since the last save
  uint64_t state_load_failures_ = 0;
};

}  // namespace coinw::collect
