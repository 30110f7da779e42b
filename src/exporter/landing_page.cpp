#include "exporter/landing_page.h"

#include <ctime>
#include <sstream>

#include "exporter/html.h"

namespace coinw::exporter {
namespace {

std::string format_time(const std::optional<WallTime>& t) {
  if (!t) return "never";
  auto secs = std::chrono::system_clock::to_time_t(*t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string state_of(const collect::CollectorHealth& h) {
  if (!h.success) return "not yet refreshed";
  return *h.success ? "ok" : "failing";
}

}  // namespace

std::string render_landing_page(const BuildInfo& build, std::string_view telemetry_path,
                                const std::vector<collect::AccountStatus>& accounts) {
  std::ostringstream html;
  html << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>CoinW Exporter</title></head><body>"
       << "<h1>CoinW Exporter</h1><p>Version " << html_escape(build.version) << " (" << html_escape(build.revision)
       << ")</p><ul><li><a href=\"" << html_escape(telemetry_path.substr(1))
       << "\">Metrics</a></li><li><a href=\"-/healthy\">Health</a></li>"
       << "<li><a href=\"-/ready\">Readiness</a></li>"
       << "<li><a href=\"runbook\">Runbook</a>: what each alert means and what to do</li></ul>"
       << "<h2>Accounts</h2><table border=\"1\"><tr><th>account</th><th>collector</th><th>state</th>"
       << "<th>rows</th><th>last success</th></tr>";
  for (const auto& a : accounts) {
    if (a.collectors.empty())
      html << "<tr><td>" << html_escape(a.name) << "</td><td colspan=\"4\">no collector enabled</td></tr>";
    for (const auto& c : a.collectors)
      html << "<tr><td>" << html_escape(a.name) << "</td><td>" << html_escape(c.name) << "</td><td>"
           << state_of(c.health) << "</td><td>" << c.rows << "</td><td>" << format_time(c.health.last_success)
           << "</td></tr>";
  }
  html << "</table></body></html>";
  return html.str();
}

}  // namespace coinw::exporter
