#pragma once
// Everything the exporter knows about one configured account: its API client,
// cached data and health. A scrape calls refresh() with its deadline, then
// collect(); refreshes are single-flight, so concurrent scrapes cost the API
// no more than one.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "api/client.h"
#include "collect/api_metrics.h"
#include "collect/client_settings.h"
#include "collect/cumulative_pass.h"
#include "collect/invitee_book.h"
#include "collect/invitee_scheduler.h"
#include "collect/sub_account_watch.h"
#include "collect/state_store.h"
#include "collect/watch_pass.h"
#include "collect/window_pass.h"
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
struct AccountStatus {
  std::string name;
  bool invitees_enabled = false, sub_accounts_enabled = false;
  CollectorHealth invitees, sub_accounts;
  size_t invitee_rows = 0, sub_account_rows = 0;
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
  uint64_t version = 0;  // changes whenever cached data changes
  bool invitees_fresh = false;
  bool sub_accounts_fresh = false;
  config::NickNamePolicy nick_name = config::NickNamePolicy::masked;
  bool operator==(const DataKey&) const = default;
};

class AccountCollector {
 public:
  AccountCollector(config::AccountConfig account, ClientSettings settings, ratelimit::RateGate& gate, Clock& clock,
                   std::unique_ptr<api::Transport> transport);

  void refresh(TimePoint deadline, const ExposeSettings& settings);
  DataKey data_key(const ExposeSettings& settings) const;
  // The business data (invitees, sub-accounts): large, and unchanged between refreshes.
  void collect_data(exposition::FamilySet& out, const DataKey& key) const;
  // Health and API metrics: small, and changed by every request.
  void collect_health(exposition::FamilySet& out) const;

  const config::AccountConfig& config() const { return config_; }
  const ClientSettings& client_settings() const { return client_settings_; }
  AccountStatus status() const;

  // global.state_dir (account_state.cpp): the store this account writes to
  // after each complete pass, what it holds now, and loading it at start.
  void use_state(std::shared_ptr<StateStore> store);
  AccountState state_snapshot(config::NickNamePolicy nick) const;
  void save_state(config::NickNamePolicy nick);
  void restore_state(Duration staleness_limit);

 private:
  void refresh_sub_accounts(TimePoint deadline);
  void refresh_invitees(TimePoint deadline);
  void drop_stale(const ExposeSettings& settings);
  TimePoint send_deadline(TimePoint deadline) const;
  bool stale(const CollectorHealth& h, const ExposeSettings& s) const;
  void collect_invitees(exposition::FamilySet& out, const exposition::Labels& account) const;
  void collect_pass_state(exposition::FamilySet& out, const InviteeBook& book, const exposition::Labels& quote) const;
  void collect_windows(exposition::FamilySet& out, const exposition::Labels& account, bool fresh) const;
  void collect_passes(exposition::FamilySet& out, const exposition::Labels& account) const;
  void invitee_answered(bool completed, const Now& now);
  // The collector is fully refreshed as of its oldest complete quote: none until every quote has one.
  std::optional<WallTime> full_refresh_time() const;
  void collect_sub_accounts(exposition::FamilySet& out, const exposition::Labels& account,
                            config::NickNamePolicy nick_name) const;
  void data_changed() { data_version_.fetch_add(1, std::memory_order_release); }

  const config::AccountConfig config_;
  const ClientSettings client_settings_;
  Clock& clock_;
  std::unique_ptr<api::Transport> transport_;
  ApiMetrics api_metrics_;
  api::Client client_;

  // Single flight: one refresh at a time; scrapes that arrive meanwhile wait
  // for it (up to their deadline) and serve its result.
  std::mutex flight_mu_;
  std::condition_variable flight_done_;
  bool in_flight_ = false;
  std::optional<TimePoint> last_refresh_end_;
  std::atomic<uint64_t> data_version_{0};

  mutable std::mutex mu_;  // guards what follows; collect() reads it while refresh() writes
  CollectorHealth invitee_health_, sub_health_;
  std::shared_ptr<const std::vector<api::SubAccount>> sub_accounts_;
  SubAccountWatch sub_watch_;
  // Built once; the vectors never change. Each pass refers to its quote's book.
  std::vector<std::unique_ptr<InviteeBook>> books_;  // one per quote
  std::vector<std::unique_ptr<CumulativePass>> cumulative_;
  std::vector<std::unique_ptr<WatchPass>> watch_;
  std::vector<std::unique_ptr<WindowPass>> windows_;
  std::unique_ptr<InviteeScheduler> scheduler_;
  std::shared_ptr<StateStore> state_;
  bool state_dirty_ = false;  // something to save since the last save
  uint64_t state_load_failures_ = 0;
};

}  // namespace coinw::collect
