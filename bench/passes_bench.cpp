// What the invitee passes cost over hours of scrapes, in virtual time: one
// account against the simulator's endpoint logic, scraped every
// --scrape-interval, as Prometheus would; the refresh a scrape starts goes on
// in the background (bench/event_clock.h moves time only once the lane waits).
// Prints the virtual time each pass first completed, the steady-state requests
// per hour (total and per pass) beside what the configured intervals need and
// CoinW's bound (5/s), the busiest second, and the requests a strict
// 5-per-second window would have refused (simulator violations).
//
// With --funnel, the funnel's collectors too (invitee_registrations and
// invitee_trade_volume at their default intervals and page size), sharing the 5/s.
//
//   coinw_passes_bench [--invitees=20000] [--windows=today,month,previous_month]
//                      [--min-refresh=60] [--window-refresh=300] [--watch=0]
//                      [--hours=6] [--scrape-interval=30] [--funnel]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "collect/account.h"
#include "common/timefmt.h"
#include "event_clock.h"
#include "log/log.h"
#include "sim/rate_window.h"
#include "support/exposition.h"
#include "support/sim_transport.h"

namespace {

using namespace coinw;
using namespace std::chrono_literals;

struct Args {
  int invitees = 20000, page_size = 100, watch = 0;
  bool funnel = false;
  double min_refresh = 60, window_refresh = 300, hours = 6, scrape_interval = 30;
  std::string windows = "today,month,previous_month";
};

Args parse_args(int argc, char** argv) {
  Args a;
  std::map<std::string, double*> numbers{{"--min-refresh", &a.min_refresh},
                                         {"--window-refresh", &a.window_refresh},
                                         {"--hours", &a.hours},
                                         {"--scrape-interval", &a.scrape_interval}};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    const std::string name = arg.substr(0, eq), value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--invitees")
      a.invitees = std::stoi(value);
    else if (name == "--page-size")
      a.page_size = std::stoi(value);
    else if (name == "--watch")
      a.watch = std::stoi(value);
    else if (name == "--windows")
      a.windows = value;
    else if (name == "--funnel")
      a.funnel = true;
    else if (numbers.contains(name))
      *numbers[name] = std::stod(value);
    else
      throw std::invalid_argument("unknown argument " + arg);
  }
  return a;
}

std::vector<config::WindowConfig> windows_of(const std::string& list) {
  static const std::map<std::string, config::WindowKind> kinds{{"today", config::WindowKind::today},
                                                               {"yesterday", config::WindowKind::yesterday},
                                                               {"week", config::WindowKind::week},
                                                               {"month", config::WindowKind::month},
                                                               {"previous_month", config::WindowKind::previous_month}};
  std::vector<config::WindowConfig> out;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');)
    if (!name.empty()) out.push_back({name, kinds.at(name), 0, 0});
  return out;
}

std::chrono::duration<double> seconds(double s) { return std::chrono::duration<double>(s); }

}  // namespace

int main(int argc, char** argv) try {
  const Args args = parse_args(argc, argv);
  log::set_sink([](const std::string&) {});  // pass logs would drown the table

  // Mid-morning of a month's first day: previous_month is closed and past its grace.
  bench::EventClock clock(
      std::chrono::system_clock::time_point(std::chrono::seconds(parse_coinw_time("2026-12-01 09:00:00", 0).value())));
  const auto wall0 = clock.wall_now();
  ratelimit::RateGate gate(clock);
  // The funnel's trades need the dataset's "now"; without it the figures stay those of before.
  const auto anchor =
      args.funnel ? std::optional(sim::Anchor{parse_coinw_time("2026-12-01 09:00:00", 0).value(), 0}) : std::nullopt;
  sim::Dataset data(42, args.invitees, 0, anchor);
  testing::SimTransport coinw(clock, data, 0);

  config::AccountConfig a;
  a.name = "bench";
  a.api_key = "AK-0123456789";
  a.secret_key = "SK-0123456789";
  a.sub_accounts.enabled = false;
  auto& ia = a.invitee_assets;
  ia.page_size = args.page_size;
  ia.min_refresh_interval = std::chrono::duration_cast<std::chrono::milliseconds>(seconds(args.min_refresh));
  ia.window_refresh_interval = std::chrono::duration_cast<std::chrono::milliseconds>(seconds(args.window_refresh));
  ia.windows = windows_of(args.windows);
  for (int i = 0; i < args.watch; ++i)
    ia.watch.uids.push_back(static_cast<uint64_t>(data.invitees(sim::Quote::usdt)[i * 7].uid));
  ia.watch.min_refresh_interval = 15s;
  a.invitee_registrations.enabled = args.funnel;
  a.invitee_trade_volume.enabled = args.funnel;
  collect::AccountCollector collector(a, collect::derive_client_settings(config::GlobalConfig{}, a), gate, clock,
                                      [&] { return coinw.transport(); });
  const collect::ExposeSettings expose{config::NickNamePolicy::masked, std::chrono::hours(24)};

  const auto scrape_every = std::chrono::duration_cast<Duration>(seconds(args.scrape_interval));
  const TimePoint start = clock.now();
  const TimePoint end = start + std::chrono::duration_cast<Duration>(seconds(args.hours * 3600));
  const TimePoint steady_from = start + 1h;  // after every pass has run once
  std::map<std::string, double> first_complete, requests_at_steady;
  for (TimePoint scrape = start; scrape < end; scrape += scrape_every) {
    clock.run_until(scrape);
    collector.refresh(clock.now(), expose);  // wakes the refresh; the answer does not matter here
    exposition::FamilySet out;
    collector.collect_health(out);
    for (const auto& [series, value] : testing::parse_exposition(out.render())) {
      if (series.starts_with("coinw_invitee_pass_last_complete_timestamp_seconds") && !first_complete.contains(series))
        first_complete[series] = value - std::chrono::duration<double>(wall0.time_since_epoch()).count();
      if (series.starts_with("coinw_invitee_pass_requests_total") && scrape < steady_from)
        requests_at_steady[series] = value;
    }
  }
  clock.run_until(end);
  // The lane may be asleep on the limiter: time must move for it to see the stop.
  std::thread stopping([&] { collector.stop(); });
  clock.run_until(end + 1min);
  stopping.join();
  exposition::FamilySet out;
  collector.collect_health(out);
  const auto final_series = testing::parse_exposition(out.render());

  // What a strict 5-per-second window over every request would have refused.
  sim::SlidingWindow window(facts::kInviteeAssetsPerSecond);
  size_t violations = 0, total = 0, steady_total = 0, busiest = 0;
  // The three affiliate endpoints share the one limit.
  std::vector<TimePoint> requests;
  for (const auto& r : coinw.invitee_requests()) requests.push_back(r.at);
  for (const char* path : {facts::kInviteeListPath, facts::kInviteeVolumePath})
    for (const auto& r : coinw.funnel_requests(path)) requests.push_back(r.at);
  std::sort(requests.begin(), requests.end());
  for (size_t i = 0, first = 0; i < requests.size(); ++i) {
    const auto at = requests[i];
    ++total;
    if (at >= steady_from && at < end) ++steady_total;
    violations += !window.arrive(at);
    while (at - requests[first] >= 1s) ++first;
    busiest = std::max(busiest, i - first + 1);
  }

  const double steady_hours = args.hours - 1;
  const int per_pass = args.invitees / args.page_size + 1;  // the short or empty last page ends a pass
  // Intervals count from a pass's start: what they ask for, except that a pass
  // starts only while the last scrape is within its interval, so one shorter
  // than the scrape interval runs once per scrape (more would go unseen).
  const auto every = [&](double interval) { return 3600 / std::max(interval, args.scrape_interval); };
  const double invitee_need =
      per_pass * every(args.min_refresh) +
      per_pass * every(args.window_refresh) *
          static_cast<double>(std::count_if(ia.windows.begin(), ia.windows.end(),
                                            [](auto& w) {
                                              return w.kind != config::WindowKind::yesterday &&
                                                     w.kind != config::WindowKind::previous_month;
                                            })) +
      args.watch * every(15);
  // The funnel: one page of new sign-ups per min_refresh_interval, today's
  // volume rows in pages per open_day_refresh_interval; closed days cost
  // nothing in a steady hour (one walk after midnight).
  double funnel_need = 0;
  if (args.funnel) {
    const config::TradeVolumeConfig v;
    const config::RegistrationsConfig r;
    const int32_t today = local_day(parse_coinw_time("2026-12-01 09:00:00", 0).value(), 0);
    size_t today_rows = 0;
    for (const auto& [key, units] : data.volumes()) today_rows += key.first == today;
    funnel_need = every(std::chrono::duration<double>(r.min_refresh_interval).count()) +
                  static_cast<double>(today_rows / static_cast<size_t>(v.page_size) + 1) *
                      every(std::chrono::duration<double>(v.open_day_refresh_interval).count());
  }
  const double need = invitee_need + funnel_need;
  const double bound = facts::kInviteeAssetsPerSecond * 3600.0;
  std::printf(
      "passes: %d invitees, page_size %d, windows [%s], watch %d uid(s), min_refresh_interval %gs, "
      "window_refresh_interval %gs%s; scraped every %gs for %g virtual hours\n",
      args.invitees, args.page_size, args.windows.c_str(), args.watch, args.min_refresh, args.window_refresh,
      args.funnel ? "; funnel on (registrations, trade volume)" : "", args.scrape_interval, args.hours);
  std::printf("%-78s %14s %18s\n", "pass", "first complete", "steady requests/h");
  for (const auto& [series, value] : final_series) {
    if (!series.starts_with("coinw_invitee_pass_requests_total")) continue;
    const std::string labels = series.substr(series.find('{'));
    const auto done = first_complete.find("coinw_invitee_pass_last_complete_timestamp_seconds" + labels);
    char first[32] = "never";
    if (done != first_complete.end()) std::snprintf(first, sizeof first, "%.0f s", done->second);
    std::printf("%-78s %14s %18.0f\n", labels.c_str(), first, (value - requests_at_steady[series]) / steady_hours);
  }
  const double steady = steady_total / steady_hours;
  std::printf(
      "steady state: %.0f requests/h (%.2f/s); the configured intervals need %.0f/h: ratio %.2f%s; "
      "bound %.0f/h at CoinW's %d/s (%.2f of it)\n",
      steady, steady / 3600, need, steady / need, need > bound ? " (the need exceeds the bound)" : "", bound,
      facts::kInviteeAssetsPerSecond, steady / bound);
  std::printf(
      "requests: %zu in all; the busiest second held %zu; a strict %d-per-second window would have refused "
      "%zu (simulator violations)\n",
      total, busiest, facts::kInviteeAssetsPerSecond, violations);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "coinw_passes_bench: %s\n", e.what());
  return 2;
}
