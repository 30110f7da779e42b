#include "exporter/exporter.h"

#include <cmath>
#include <future>
#include <sstream>

#include "log/log.h"

namespace coinw::exporter {
namespace {

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_time(const std::optional<collect::WallTime>& t) {
  if (!t) return "never";
  auto secs = std::chrono::system_clock::to_time_t(*t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string health_cell(bool enabled, const collect::CollectorHealth& h, size_t rows) {
  if (!enabled) return "<td>disabled</td>";
  std::string state = !h.success ? "not yet refreshed" : *h.success ? "ok" : "failing";
  return "<td>" + state + ", " + std::to_string(rows) + " rows, last success " + format_time(h.last_success) +
         "</td>";
}

}  // namespace

BuildInfo build_info() { return {COINW_VERSION, COINW_REVISION}; }

Exporter::Exporter(Clock& clock, TransportFactory transports)
    : clock_(clock), transports_(std::move(transports)), gate_(clock), accounts_(std::make_shared<Accounts>()) {}

Exporter::~Exporter() {
  if (!state_) return;
  const auto nick = global_.nick_name;
  for (const auto& a : *snapshot()) state_->save(a->state_snapshot(nick));
  state_->flush();
}

void Exporter::apply(const config::Config& config) {
  const auto old = snapshot();
  auto next = std::make_shared<Accounts>();
  auto state = state_;
  if (const auto& dir = config.global.state_dir; dir.empty())
    state.reset();
  else if (!state || state->dir() != dir)
    state = std::make_shared<collect::StateStore>(dir);
  for (const auto& a : config.accounts) {
    std::shared_ptr<collect::AccountCollector> kept;
    for (const auto& o : *old)
      if (o->config() == a && o->same_client_settings(config.global)) kept = o;
    if (kept) {
      next->push_back(std::move(kept));
      continue;
    }
    auto transport = transports_(config::to_transport_options(config.global, a));
    next->push_back(
        std::make_shared<collect::AccountCollector>(a, config.global, gate_, clock_, std::move(transport)));
  }
  for (const auto& a : *next) a->use_state(state);  // kept accounts follow a changed state_dir
  // Only at start: a reload keeps or deliberately refetches what is in memory.
  if (!started_)
    for (const auto& a : *next) a->restore_state(config.global.staleness_limit);
  started_ = true;
  state_ = std::move(state);
  std::lock_guard lock(mu_);
  accounts_ = std::move(next);
  global_ = config.global;
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
  return clock_.now() + std::max<Duration>(budget - last_render_.load(), Duration::zero());
}

web::Response Exporter::metrics(const web::ScrapeRequest& request) {
  auto accounts = snapshot();
  // node_exporter's collect[] filter: the exporter's own metrics only, for
  // sharded set-ups where the accounts are scraped through /probe.
  if (auto only = request.params.find("collect[]"); only != request.params.end() && only->second == "exporter")
    accounts = std::make_shared<const Accounts>();
  return web::Response{200, web::kMetricsContentType, scrape(request, *accounts, true)};
}

web::Response Exporter::probe(const web::ScrapeRequest& request) {
  auto name = request.params.find("account");
  if (name == request.params.end())
    return web::Response{400, "text/plain; charset=utf-8", "the account parameter is required\n"};
  auto accounts = snapshot();
  for (const auto& a : *accounts)
    if (a->config().name == name->second)
      return web::Response{200, web::kMetricsContentType, scrape(request, Accounts{a}, false)};
  return web::Response{404, "text/plain; charset=utf-8", "no such account in the configuration\n"};
}

std::string Exporter::scrape(const web::ScrapeRequest& request, const Accounts& accounts, bool with_self) {
  config::GlobalConfig global;
  {
    std::lock_guard lock(mu_);
    global = global_;
  }
  const TimePoint until = deadline(request, global);
  const collect::ExposeSettings settings{global.nick_name, global.staleness_limit};
  if (accounts.size() == 1) {
    accounts[0]->refresh(until, settings);
  } else {
    // Accounts refresh side by side: their rate limits are separate.
    std::vector<std::future<void>> refreshes;
    for (const auto& a : accounts)
      refreshes.push_back(std::async(std::launch::async, [&a, until, &settings] { a->refresh(until, settings); }));
    for (auto& r : refreshes) r.get();
  }
  const TimePoint render_start = clock_.now();
  exposition::FamilySet out;
  if (with_self) collect_self(out);
  for (const auto& a : accounts) a->collect(out, settings);
  std::string text = out.render();
  last_render_ = clock_.now() - render_start;
  return text;
}

void Exporter::collect_self(exposition::FamilySet& out) const {
  const BuildInfo b = build_info();
  out.gauge("coinw_exporter_build_info", "The exporter's version and revision; value 1.",
            {{"version", b.version}, {"revision", b.revision}}, 1);
  std::lock_guard lock(mu_);
  out.gauge("coinw_exporter_config_last_reload_successful", "Whether the last configuration reload succeeded.", {},
            last_reload_ok_ ? 1 : 0);
  if (last_reload_success_)
    out.gauge("coinw_exporter_config_last_reload_success_timestamp_seconds",
              "When the configuration was last loaded successfully, unix seconds.", {},
              std::chrono::duration<double>(last_reload_success_->time_since_epoch()).count());
}

std::string Exporter::landing_page() const {
  auto accounts = snapshot();
  const BuildInfo b = build_info();
  std::ostringstream html;
  html << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>CoinW Exporter</title></head><body>"
       << "<h1>CoinW Exporter</h1><p>Version " << html_escape(b.version) << " (" << html_escape(b.revision)
       << ")</p><ul><li><a href=\"metrics\">Metrics</a></li><li><a href=\"-/healthy\">Health</a></li>"
       << "<li><a href=\"-/ready\">Readiness</a></li></ul>"
       << "<h2>Accounts</h2><table border=\"1\"><tr><th>account</th><th>invitee assets</th><th>sub-accounts</th></tr>";
  for (const auto& a : *accounts) {
    auto s = a->status();
    html << "<tr><td>" << html_escape(s.name) << "</td>"
         << health_cell(s.invitees_enabled, s.invitees, s.invitee_rows)
         << health_cell(s.sub_accounts_enabled, s.sub_accounts, s.sub_account_rows) << "</tr>";
  }
  html << "</table></body></html>";
  return html.str();
}

}  // namespace coinw::exporter
