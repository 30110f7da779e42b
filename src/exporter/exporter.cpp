#include "exporter/exporter.h"

#include <cmath>
#include <future>
#include <sstream>

#include "exporter/landing_page.h"
#include "exporter/process_metrics.h"
#include "exposition/catalogue.h"
#include "log/log.h"

namespace coinw::exporter {
Exporter::Exporter(Clock& clock, TransportFactory transports)
    : clock_(clock), transports_(std::move(transports)), gate_(clock), accounts_(std::make_shared<Accounts>()) {}

Exporter::~Exporter() {
  // Refreshes stop at their next request boundary, then what they fetched is written.
  for (const auto& a : *snapshot()) a->collector->stop();
  if (!state_) return;
  for (const auto& a : *snapshot()) a->collector->save_state(global_.nick_name);
  state_->flush();
}

void Exporter::apply(const config::Config& config) {
  const auto old = snapshot();
  auto next = std::make_shared<Accounts>();
  auto state = state_;
  if (const auto& dir = config.global.state_dir; dir.empty())
    state.reset();
  else if (!state || state->dir() != dir)
    state = std::make_shared<collect::StateDir>(dir);
  for (const auto& a : config.accounts) {
    auto settings = collect::derive_client_settings(config.global, a);
    std::shared_ptr<Served> kept;
    for (const auto& o : *old)
      if (o->config == a && o->settings == settings) kept = o;
    if (kept) {
      next->push_back(std::move(kept));
      continue;
    }
    auto served = std::make_shared<Served>();
    served->collector = std::make_shared<collect::AccountCollector>(a, settings, gate_, clock_,
                                                                    [&] { return transports_(settings.transport); });
    served->config = a;
    served->settings = std::move(settings);
    next->push_back(std::move(served));
  }
  for (const auto& a : *next) a->collector->use_state(state);  // kept accounts follow a changed state_dir
  // Only at start: a reload keeps or deliberately refetches what is in memory.
  if (!started_)
    for (const auto& a : *next) a->collector->restore_state(config.global.staleness_limit);
  started_ = true;
  state_ = std::move(state);
  {
    std::lock_guard lock(mu_);
    accounts_ = std::move(next);
    global_ = config.global;
  }
  record_reload(true);
}

ReloadResult Exporter::reload(const std::string& path) {
  std::lock_guard lock(reload_mu_);
  try {
    auto next = config::load_config_file(path);
    apply(next.config);
    log_config_warnings(next.warnings);
    log::info("configuration reloaded", {{"accounts", std::to_string(next.config.accounts.size())}});
    return {true, "configuration reloaded\n"};
  } catch (const std::exception& e) {  // ConfigError, or a file that cannot be read
    record_reload(false);
    log::error("configuration reload failed; keeping the previous one", {{"err", e.what()}});
    return {false, std::string("reload failed: ") + e.what() + "\n"};
  }
}

void log_config_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) log::warn("configuration warning", {{"warning", w}});
}

void Exporter::record_reload(bool ok) {
  std::lock_guard lock(mu_);
  last_reload_ok_ = ok;
  if (ok) last_reload_success_ = clock_.wall_now();
}

bool Exporter::ready() const {
  std::lock_guard lock(mu_);
  return last_reload_success_.has_value();
}

std::shared_ptr<const Exporter::Accounts> Exporter::snapshot() const {
  std::lock_guard lock(mu_);
  return accounts_;
}

TimePoint Exporter::deadline(const web::ScrapeRequest& request, const config::GlobalConfig& g) const {
  Duration budget = g.default_scrape_timeout;
  if (request.timeout_seconds)
    budget = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*request.timeout_seconds)) -
             g.scrape_timeout_offset;
  // A slow client must not take every refresh's time: at most half the budget goes to serving.
  const Duration serving = std::min<Duration>(last_serve_.load(), budget / 2);
  return clock_.now() + std::max<Duration>(budget - serving, Duration::zero());
}

web::Response Exporter::metrics(const web::ScrapeRequest& request) {
  auto accounts = snapshot();
  // node_exporter's collect[] filter: the exporter's own metrics only, for
  // sharded set-ups where the accounts are scraped through /probe.
  for (const auto& c : request.collect)
    if (c != "exporter")
      return web::text_response(400, "unknown collect[] value \"" + c.substr(0, 64) + "\"; known values: exporter\n");
  if (!request.collect.empty()) accounts = std::make_shared<const Accounts>();
  return scrape(request, *accounts, true);
}

web::Response Exporter::probe(const web::ScrapeRequest& request) {
  auto name = request.params.find("account");
  if (name == request.params.end()) return web::text_response(400, "the account parameter is required\n");
  auto accounts = snapshot();
  for (const auto& a : *accounts)
    if (a->config.name == name->second) return scrape(request, Accounts{a}, false);
  return web::text_response(404, "no such account in the configuration\n");
}

web::Response Exporter::scrape(const web::ScrapeRequest& request, const Accounts& accounts, bool with_self) {
  config::GlobalConfig global;
  {
    std::lock_guard lock(mu_);
    global = global_;
  }
  const TimePoint until = deadline(request, global);
  const collect::ExposeSettings settings{global.nick_name, global.staleness_limit};
  if (accounts.size() == 1) {
    accounts[0]->collector->refresh(until, settings);
  } else {
    // Accounts refresh side by side: their rate limits are separate.
    std::vector<std::future<void>> refreshes;
    for (const auto& a : accounts)
      refreshes.push_back(
          std::async(std::launch::async, [&a, until, &settings] { a->collector->refresh(until, settings); }));
    for (auto& r : refreshes) r.get();
  }
  const TimePoint refreshed = clock_.now();

  // The business data comes from each account's cache; the exporter's own
  // metrics and the accounts' health are rendered now: they change every time.
  exposition::FamilySet self, health;
  if (with_self) collect_self(self);
  std::vector<std::shared_ptr<const RenderCache::Render>> renders;
  std::vector<const std::vector<exposition::FamilyPieces>*> data;
  for (const auto& a : accounts) {
    a->collector->collect_health(health);
    renders.push_back(a->cache.get(*a->collector, settings));
    data.push_back(&renders.back()->families);
  }
  exposition::BodyBuilder body(request.gzip);
  body.add(exposition::make_piece(self.render(), request.gzip));
  body.add_grouped(data);
  body.add(exposition::make_piece(health.render(), request.gzip));

  web::Response r;
  r.content_type = web::kMetricsContentType;
  r.parts = std::move(body).finish();
  if (request.gzip) r.content_encoding = "gzip";
  r.on_sent = [this, refreshed] { last_serve_ = clock_.now() - refreshed; };
  return r;
}

void Exporter::collect_self(exposition::FamilySet& out) const {
  append_process_metrics(read_process_stats(), out);
  const BuildInfo b = build_info();
  namespace metric = exposition::metric;
  exposition::sample(out, metric::exporter_build_info,
                     {{"version", b.version}, {"revision", b.revision}, {"branch", b.branch}, {"compiler", b.compiler}},
                     1);
  exposition::sample(out, metric::exporter_heap_inuse_bytes, {}, heap_inuse_bytes());
  std::lock_guard lock(mu_);
  exposition::sample(out, metric::exporter_config_last_reload_successful, {}, last_reload_ok_ ? 1 : 0);
  if (last_reload_success_)
    exposition::sample(out, metric::exporter_config_last_reload_success_timestamp, {},
                       unix_seconds(*last_reload_success_));
}

std::string Exporter::landing_page(std::string_view telemetry_path) const {
  std::vector<collect::AccountStatus> accounts;
  for (const auto& a : *snapshot()) accounts.push_back(a->collector->status());
  return render_landing_page(build_info(), telemetry_path, accounts);
}

}  // namespace coinw::exporter
