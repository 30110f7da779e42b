// invitee_registrations and invitee_trade_volume of an account.
#include <chrono>

#include "common/timefmt.h"
#include "config/periods.h"

namespace coinw::config::detail {
namespace {

using namespace std::chrono_literals;

constexpr milliseconds kNoMax = milliseconds::max();

void registrations(Walker& w, const Map& account, RegistrationsConfig& c) {
  auto m = w.map(account, "invitee_registrations", {"enabled", "since", "page_size", "min_refresh_interval"});
  if (!m) return;
  if (auto v = w.boolean(*m, "enabled")) c.enabled = *v;
  if (auto v = w.string(*m, "since")) {
    if (auto day = parse_coinw_date(*v))
      c.since_day = *day;
    else
      w.error(m->line_of("since"), m->path_of("since"), "must be a date like \"2020-01-31\", got '" + *v + "'");
  }
  if (auto v = w.integer(*m, "page_size", 1, facts::kFunnelMaxPageSize)) c.page_size = *v;
  if (auto v = w.duration(*m, "min_refresh_interval", 1s, kNoMax)) c.min_refresh_interval = *v;
}

void trade_volume(Walker& w, const Map& account, int offset_s, const std::vector<WindowConfig>& windows,
                  TradeVolumeConfig& c) {
  auto m =
      w.map(account, "invitee_trade_volume", {"enabled", "page_size", "open_day_refresh_interval", "closed_day_grace"});
  if (!m) return;
  if (auto v = w.boolean(*m, "enabled")) c.enabled = *v;
  if (auto v = w.integer(*m, "page_size", 1, facts::kFunnelMaxPageSize)) c.page_size = *v;
  if (auto v = w.duration(*m, "open_day_refresh_interval", 1s, kNoMax)) c.open_day_refresh_interval = *v;
  // A bound, so a day's end plus the grace stays a time.
  if (auto v = w.duration(*m, "closed_day_grace", 0ms, std::chrono::days(7))) c.closed_day_grace = *v;
  if (!c.enabled) return;
  // CoinW reports a day's volume as one figure: a window cannot cut a day.
  for (const auto& win : windows) {
    if (win.kind != WindowKind::fixed) continue;
    if (day_start(local_day(win.start, offset_s), offset_s) != win.start ||
        day_start(local_day(win.end, offset_s) + 1, offset_s) - 1 != win.end)
      w.error(m->line_of("enabled"), m->path_of("enabled"),
              "the volume is summed over whole days, but window '" + win.name +
                  "' does not start at 00:00:00 and end at 23:59:59 (global.time_zone)");
  }
}

}  // namespace

void funnel(Walker& w, const Map& account, int offset_s, const std::vector<WindowConfig>& windows,
            RegistrationsConfig& registrations_config, TradeVolumeConfig& volume) {
  registrations(w, account, registrations_config);
  trade_volume(w, account, offset_s, windows, volume);
}

}  // namespace coinw::config::detail
