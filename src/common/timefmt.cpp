#include "common/timefmt.h"

#include <chrono>
#include <cstdio>

#include "common/coinw_facts.h"

namespace coinw {
namespace {

// Exactly `width` decimal digits at `pos`.
std::optional<int> digits(std::string_view s, size_t pos, size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

constexpr std::string_view kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::optional<int> parse_utc_offset(std::string_view text) {
  if (text == "UTC" || text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  auto h = digits(text, 1, 2), m = digits(text, 4, 2);
  if (!h || !m || *m > 59) return std::nullopt;
  const int s = (*h * 60 + *m) * 60;
  if (s > facts::kMaxUtcOffsetSeconds) return std::nullopt;
  return text[0] == '-' ? -s : s;
}

std::optional<int64_t> parse_coinw_time(std::string_view text, int offset_s) {
  using namespace std::chrono;
  if (text.size() != facts::kTimeTextLength || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  auto h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  auto local = sys_days{ymd}.time_since_epoch() + hours{*h} + minutes{*mi} + seconds{*s};
  return duration_cast<seconds>(local).count() - offset_s;
}

std::optional<int64_t> parse_http_date(std::string_view text) {
  using namespace std::chrono;
  constexpr std::string_view kShape = "Sun, 06 Nov 1994 08:49:37 GMT";
  if (text.size() != kShape.size() || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  bool known_day = false;
  for (auto name : kDayNames) known_day = known_day || text.substr(0, 3) == name;
  unsigned mon = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (text.substr(8, 3) == kMonthNames[i]) mon = i + 1;
  auto d = digits(text, 5, 2), y = digits(text, 12, 4);
  auto h = digits(text, 17, 2), mi = digits(text, 20, 2), s = digits(text, 23, 2);
  if (!known_day || !mon || !d || !y || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  year_month_day ymd{year{*y}, month{mon}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return duration_cast<seconds>(sys_days{ymd}.time_since_epoch() + hours{*h} + minutes{*mi} + seconds{*s}).count();
}

std::string format_http_date(int64_t epoch_s) {
  using namespace std::chrono;
  sys_seconds t{seconds{epoch_s}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                std::string(kDayNames[weekday{day}.c_encoding()]).c_str(), static_cast<unsigned>(ymd.day()),
                std::string(kMonthNames[static_cast<unsigned>(ymd.month()) - 1]).c_str(), static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string format_coinw_time(int64_t epoch_s, int offset_s) {
  using namespace std::chrono;
  sys_seconds t{seconds{epoch_s + offset_s}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<int32_t> parse_coinw_date(std::string_view text) {
  if (text.size() != facts::kDateTextLength) return std::nullopt;
  const auto t = parse_coinw_time(std::string(text) + " 00:00:00", 0);
  if (!t) return std::nullopt;
  return local_day(*t, 0);
}

std::string format_coinw_date(int32_t day) {
  return format_coinw_time(day_start(day, 0), 0).substr(0, facts::kDateTextLength);
}

int32_t local_day(int64_t epoch_s, int offset_s) {
  using namespace std::chrono;
  return static_cast<int32_t>(floor<days>(sys_seconds{seconds{epoch_s + offset_s}}).time_since_epoch().count());
}

int64_t day_start(int32_t day, int offset_s) { return int64_t{day} * 86400 - offset_s; }

}  // namespace coinw
