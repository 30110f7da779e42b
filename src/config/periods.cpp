#include "config/periods.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/timefmt.h"

namespace coinw::config::detail {
namespace {

constexpr std::pair<std::string_view, WindowKind> kCalendar[] = {
    {"today", WindowKind::today}, {"yesterday", WindowKind::yesterday},           {"week", WindowKind::week},
    {"month", WindowKind::month}, {"previous_month", WindowKind::previous_month},
};

// Also a label value next to the pass names `cumulative` and `watch`.
bool valid_window_name(std::string_view s) {
  if (s.empty() || s.size() > 32 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::optional<WindowConfig> calendar_window(Walker& w, const std::string& word, int line, const std::string& path) {
  for (const auto& [name, kind] : kCalendar)
    if (word == name) return WindowConfig{std::string(name), kind, 0, 0};
  w.error(line, path,
          "must be today, yesterday, week, month, previous_month or {name, start, end}, got '" + word + "'");
  return std::nullopt;
}

std::optional<WindowConfig> fixed_window(Walker& w, const YAML::Node& n, const std::string& path, int offset_s) {
  auto m = w.map(n, path, {"name", "start", "end"});
  if (!m) return std::nullopt;
  WindowConfig c;
  bool ok = true;
  if (auto name = w.string(*m, "name")) {
    c.name = *name;
    if (!valid_window_name(*name)) {
      w.error(m->line_of("name"), m->path_of("name"), "must match [a-z][a-z0-9_]{0,31}, got '" + *name + "'");
      ok = false;
    }
  } else {
    if (!m->find("name")) w.error(m->line, m->path_of("name"), "required");
    ok = false;
  }
  for (auto [key, slot] : {std::pair{"start", &c.start}, std::pair{"end", &c.end}}) {
    auto text = w.string(*m, key);
    if (!text) {
      if (!m->find(key)) w.error(m->line, m->path_of(key), "required");
      ok = false;
      continue;
    }
    if (auto t = parse_coinw_time(*text, offset_s)) {
      *slot = *t;
    } else {
      w.error(m->line_of(key), m->path_of(key), "must be a time like \"2026-10-01 00:00:00\", got '" + *text + "'");
      ok = false;
    }
  }
  if (ok && c.start > c.end) {
    w.error(m->line_of("end"), m->path_of("end"), "must not be before start");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return c;
}

}  // namespace

void invitee_windows(Walker& w, const Map& invitee_assets, int offset_s, std::vector<WindowConfig>& out) {
  auto items = w.list(invitee_assets, "windows");
  if (!items) return;
  for (size_t i = 0; i < items->size(); ++i) {
    const YAML::Node& n = (*items)[i];
    const std::string path = invitee_assets.path_of("windows") + "[" + std::to_string(i) + "]";
    const int line = line_of(n);
    std::optional<WindowConfig> c;
    if (n.IsMap()) {
      c = fixed_window(w, n, path, offset_s);
    } else if (auto word = w.scalar(n, line, path, "a calendar window or {name, start, end}")) {
      c = calendar_window(w, *word, line, path);
    }
    if (!c) continue;
    if (c->name == "cumulative" || c->name == "watch") {
      w.error(line, path, "'" + c->name + "' names a pass already: choose another window name");
    } else if (std::any_of(out.begin(), out.end(), [&](const WindowConfig& o) { return o.name == c->name; })) {
      w.error(line, path, "duplicate window name '" + c->name + "'");
    } else {
      out.push_back(std::move(*c));
    }
  }
}

void invitee_watch(Walker& w, const Map& invitee_assets, size_t quotes, int invitee_rate_per_s, WatchConfig& out) {
  auto m = w.map(invitee_assets, "watch", {"uids", "min_refresh_interval"});
  if (!m) return;
  if (auto v = w.duration(*m, "min_refresh_interval", std::chrono::seconds(1), milliseconds::max()))
    out.min_refresh_interval = *v;
  if (auto items = w.list(*m, "uids")) {
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string path = m->path_of("uids") + "[" + std::to_string(i) + "]";
      const int line = line_of((*items)[i]);
      auto text = w.scalar((*items)[i], line, path, "an invitee uid");
      if (!text) continue;
      uint64_t uid = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), uid);
      if (ec != std::errc() || end != text->data() + text->size() || uid == 0)
        w.error(line, path, "must be a positive whole number (an invitee uid), got '" + *text + "'");
      else if (std::find(out.uids.begin(), out.uids.end(), uid) != out.uids.end())
        w.error(line, path, "duplicate uid " + *text);
      else
        out.uids.push_back(uid);
    }
  }
  if (out.uids.empty() || quotes == 0) return;
  const double interval_s = std::chrono::duration<double>(out.min_refresh_interval).count();
  const double budget = invitee_rate_per_s / 2.0;  // requests/s the watch list may take
  const double cost = static_cast<double>(out.uids.size() * quotes) / interval_s;
  if (cost <= budget) return;
  const auto largest = static_cast<size_t>(std::floor(budget * interval_s / static_cast<double>(quotes)));
  const auto shortest =
      milliseconds(static_cast<int64_t>(std::ceil(static_cast<double>(out.uids.size() * quotes) / budget * 1000.0)));
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.2f", cost);
  w.error(m->line_of("uids"), m->path_of("uids"),
          std::to_string(out.uids.size()) + " uids x " + std::to_string(quotes) + " quote(s) every " +
              format_duration(out.min_refresh_interval) + " is " + rate +
              " requests/s, more than half of the invitee endpoint's " + std::to_string(invitee_rate_per_s) +
              "/s: watch at most " + std::to_string(largest) +
              " uids at this interval, or set min_refresh_interval to at least " + format_duration(shortest));
}

}  // namespace coinw::config::detail
