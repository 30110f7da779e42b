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

class Exporter {
 public:
  explicit Exporter(Clock& clock, TransportFactory transports = api::make_http_transport);

  // A configuration that loaded is usable: every mistake is caught by the loader.
  void apply(const config::Config& config);
  // Writes every account's cache to global.state_dir, when set.
  ~Exporter();
  void record_reload(bool ok);

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
  // An account and its rendered data; a reload keeps both for an unchanged account.
  struct Served {
    std::shared_ptr<collect::AccountCollector> collector;
    RenderCache cache;
  };
  using Accounts = std::vector<std::shared_ptr<Served>>;
  // The accounts as configured now; a reload replaces them, never edits them.
  std::shared_ptr<const Accounts> snapshot() const;
  TimePoint deadline(const web::ScrapeRequest& request, const config::GlobalConfig& g) const;
  web::Response scrape(const web::ScrapeRequest& request, const Accounts& accounts, bool with_self);
  void collect_self(exposition::FamilySet& out) const;

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
  std::shared_ptr<collect::StateStore> state_;  // global.state_dir; null: off
  bool started_ = false;  // state is loaded once, at start, not on reloads
  std::optional<collect::WallTime> last_reload_success_;
};

}  // namespace coinw::exporter
