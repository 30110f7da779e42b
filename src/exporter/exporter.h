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
#include "ratelimit/rate_gate.h"
#include "web/server.h"

namespace coinw::exporter {

struct BuildInfo {
  std::string version;
  std::string revision;
};
BuildInfo build_info();

using TransportFactory = std::function<std::unique_ptr<api::Transport>(const api::TransportOptions&)>;

class Exporter {
 public:
  explicit Exporter(Clock& clock, TransportFactory transports = api::make_http_transport);

  // Throws std::invalid_argument (a config error) when an account cannot be set
  // up, e.g. an unusable base URL; the previous configuration then stays.
  void apply(const config::Config& config);
  // Writes every account's cache to global.state_dir, when set.
  ~Exporter();
  void record_reload(bool ok);

  // /metrics: every account, plus the exporter's own metrics; with
  // collect[]=exporter, the exporter's own metrics only.
  web::Response metrics(const web::ScrapeRequest& request);
  // /probe?account=NAME: one account, so Prometheus can spread accounts over
  // several exporters (blackbox-exporter style).
  web::Response probe(const web::ScrapeRequest& request);
  std::string landing_page() const;
  bool ready() const;

 private:
  using Accounts = std::vector<std::shared_ptr<collect::AccountCollector>>;
  // The accounts as configured now; a reload replaces them, never edits them.
  std::shared_ptr<const Accounts> snapshot() const;
  TimePoint deadline(const web::ScrapeRequest& request, const config::GlobalConfig& g) const;
  std::string scrape(const web::ScrapeRequest& request, const Accounts& accounts, bool with_self);
  void collect_self(exposition::FamilySet& out) const;

  Clock& clock_;
  TransportFactory transports_;
  ratelimit::RateGate gate_;
  mutable std::mutex mu_;
  std::shared_ptr<const Accounts> accounts_;
  config::GlobalConfig global_;
  // Rendering happens after the budget: the next scrape leaves room for it.
  std::atomic<Duration> last_render_{};
  bool last_reload_ok_ = false;
  std::shared_ptr<collect::StateStore> state_;  // global.state_dir; null: off
  bool started_ = false;  // state is loaded once, at start, not on reloads
  std::optional<collect::WallTime> last_reload_success_;
};

}  // namespace coinw::exporter
