#pragma once
// The exporter as the web server sees it: applies configurations (keeping the
// cached data of unchanged accounts), and answers scrapes by refreshing what
// is due within the scrape's budget, then rendering from memory.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "collect/account.h"
#include "config/config.h"
#include "exporter/build_info.h"
#include "exporter/render_cache.h"
#include "ratelimit/rate_gate.h"
#include "web/server.h"

namespace coinw::exporter {

using TransportFactory = std::function<std::unique_ptr<api::Transport>(const api::TransportOptions&)>;

// One log line per warning of a configuration that loaded.
void log_config_warnings(const std::vector<std::string>& warnings);

struct ReloadResult {
  bool ok = false;
  std::string message;  // for the one who asked (POST /-/reload)
};

class Exporter {
 public:
  explicit Exporter(Clock& clock, TransportFactory transports = api::make_http_transport);
  // Stops every background refresh, then writes every account's cache to
  // global.state_dir, when set.
  ~Exporter();

  // A configuration that loaded is usable: every mistake is caught by the
  // loader. Accounts whose settings did not change keep their cached data.
  // Counts as a successful (re)load.
  void apply(const config::Config& config);
  // Reads the configuration file again and applies it, or keeps the running
  // one when it does not load; records and logs the outcome either way
  // (coinw_exporter_config_last_reload_*), as blackbox_exporter's ReloadConfig.
  ReloadResult reload(const std::string& path);

  // /metrics: every account, plus the exporter's own metrics; with
  // collect[]=exporter, the exporter's own metrics only; any other collect[]
  // value is refused (400) with the list of known values.
  web::Response metrics(const web::ScrapeRequest& request);
  // /probe?account=NAME: one account, so Prometheus can spread accounts over
  // several exporters (blackbox-exporter style).
  web::Response probe(const web::ScrapeRequest& request);
  std::string landing_page(std::string_view telemetry_path = "/metrics") const;
  bool ready() const;

 private:
  // An account, what it was built from, and its rendered data; a reload keeps
  // all of it for an account whose configuration and derived settings are unchanged.
  struct Served {
    config::AccountConfig config;
    collect::ClientSettings settings;
    std::shared_ptr<collect::AccountCollector> collector;
    RenderCache cache;
  };
  using Accounts = std::vector<std::shared_ptr<Served>>;
  // The accounts as configured now; a reload replaces them, never edits them.
  std::shared_ptr<const Accounts> snapshot() const;
  TimePoint deadline(const web::ScrapeRequest& request, const config::GlobalConfig& g) const;
  web::Response scrape(const web::ScrapeRequest& request, const Accounts& accounts, bool with_self);
  void collect_self(exposition::FamilySet& out) const;
  void record_reload(bool ok);

  Clock& clock_;
  TransportFactory transports_;
  ratelimit::RateGate gate_;
  mutable std::mutex mu_;
  std::shared_ptr<const Accounts> accounts_;
  config::GlobalConfig global_;
  // Rendering, compressing and sending happen after the budget: the next scrape
  // leaves room for what the last one took from the end of its refresh to its last byte.
  std::atomic<Duration> last_serve_{};
  bool last_reload_ok_ = false;
  std::mutex reload_mu_;                      // one reload at a time (SIGHUP and /-/reload)
  std::shared_ptr<collect::StateDir> state_;  // global.state_dir; null: off
  bool started_ = false;                      // state is loaded once, at start, not on reloads
  std::optional<WallTime> last_reload_success_;
};

}  // namespace coinw::exporter
