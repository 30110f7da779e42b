#include "collect/window_period.h"

#include <chrono>

namespace coinw::collect {
namespace {

using namespace std::chrono;

int64_t unix_of(sys_days local_day, int offset_s) {
  return duration_cast<seconds>(local_day.time_since_epoch()).count() - offset_s;
}

// [first, next) local days as an inclusive period in unix seconds.
Period days(sys_days first, sys_days next, int offset_s) {
  return {unix_of(first, offset_s), unix_of(next, offset_s) - 1};
}

}  // namespace

Period period_of(const config::WindowConfig& w, int64_t now_s, int offset_s) {
  using config::WindowKind;
  const sys_days today = floor<std::chrono::days>(sys_seconds{seconds{now_s + offset_s}});
  const year_month_day ymd{today};
  const sys_days month_start{ymd.year() / ymd.month() / 1};
  switch (w.kind) {
    case WindowKind::today: return days(today, today + std::chrono::days{1}, offset_s);
    case WindowKind::yesterday: return days(today - std::chrono::days{1}, today, offset_s);
    case WindowKind::week: {
      const sys_days monday = today - std::chrono::days{weekday{today}.iso_encoding() - 1};
      return days(monday, monday + std::chrono::days{7}, offset_s);
    }
    case WindowKind::month: return days(month_start, sys_days{(ymd.year() / ymd.month() + months{1}) / 1}, offset_s);
    case WindowKind::previous_month:
      return days(sys_days{(ymd.year() / ymd.month() - months{1}) / 1}, month_start, offset_s);
    case WindowKind::fixed: break;
  }
  return {w.start, w.end};
}

}  // namespace coinw::collect
