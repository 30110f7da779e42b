// Calendar windows in CoinW's time zone: the first and the last second of each
// period, and the rollovers that change a month and a year.
#include "collect/window_period.h"

#include <gtest/gtest.h>

#include "common/timefmt.h"

namespace coinw::collect {
namespace {

constexpr int kPlus8 = 8 * 3600;

config::WindowConfig calendar(config::WindowKind kind) { return {"w", kind, 0, 0}; }

int64_t at(const char* local, int offset_s) { return parse_coinw_time(local, offset_s).value(); }

// The period as CoinW's strings in the same zone.
std::pair<std::string, std::string> texts(config::WindowKind kind, const char* now, int offset_s = kPlus8) {
  const Period p = period_of(calendar(kind), at(now, offset_s), offset_s);
  return {format_coinw_time(p.start, offset_s), format_coinw_time(p.end, offset_s)};
}

using config::WindowKind;
using Texts = std::pair<std::string, std::string>;

TEST(WindowPeriod, TodayIsTheLocalDayAtItsFirstAndLastSecond) {
  EXPECT_EQ(texts(WindowKind::today, "2026-12-01 00:00:00"), Texts("2026-12-01 00:00:00", "2026-12-01 23:59:59"));
  EXPECT_EQ(texts(WindowKind::today, "2026-12-01 23:59:59"), Texts("2026-12-01 00:00:00", "2026-12-01 23:59:59"));
  // 23:59:59 local +08:00 is 15:59:59 UTC: the zone decides the day, not UTC.
  const Period p = period_of(calendar(WindowKind::today), at("2026-12-01 23:59:59", kPlus8), kPlus8);
  EXPECT_EQ(format_coinw_time(p.start, 0), "2026-11-30 16:00:00");
  EXPECT_EQ(p.end - p.start, 86399);
}

TEST(WindowPeriod, YesterdayRollsOverTheMonthAndTheYear) {
  EXPECT_EQ(texts(WindowKind::yesterday, "2026-12-01 00:00:00"), Texts("2026-11-30 00:00:00", "2026-11-30 23:59:59"));
  EXPECT_EQ(texts(WindowKind::yesterday, "2027-01-01 07:59:59"), Texts("2026-12-31 00:00:00", "2026-12-31 23:59:59"));
}

TEST(WindowPeriod, WeekIsIsoMondayToSunday) {
  // 2026-12-01 is a Tuesday; 2026-12-06 a Sunday; 2027-01-01 a Friday.
  EXPECT_EQ(texts(WindowKind::week, "2026-12-01 12:00:00"), Texts("2026-11-30 00:00:00", "2026-12-06 23:59:59"));
  EXPECT_EQ(texts(WindowKind::week, "2026-12-06 23:59:59"), Texts("2026-11-30 00:00:00", "2026-12-06 23:59:59"));
  EXPECT_EQ(texts(WindowKind::week, "2026-12-07 00:00:00"), Texts("2026-12-07 00:00:00", "2026-12-13 23:59:59"));
  EXPECT_EQ(texts(WindowKind::week, "2027-01-01 00:00:00"), Texts("2026-12-28 00:00:00", "2027-01-03 23:59:59"));
}

TEST(WindowPeriod, MonthAndPreviousMonthAcrossTheYear) {
  EXPECT_EQ(texts(WindowKind::month, "2026-12-31 23:59:59"), Texts("2026-12-01 00:00:00", "2026-12-31 23:59:59"));
  EXPECT_EQ(texts(WindowKind::month, "2027-01-01 00:00:00"), Texts("2027-01-01 00:00:00", "2027-01-31 23:59:59"));
  EXPECT_EQ(texts(WindowKind::previous_month, "2027-01-01 00:00:00"),
            Texts("2026-12-01 00:00:00", "2026-12-31 23:59:59"));
  EXPECT_EQ(texts(WindowKind::previous_month, "2028-03-15 10:00:00"),
            Texts("2028-02-01 00:00:00", "2028-02-29 23:59:59"));  // a leap year
  EXPECT_EQ(texts(WindowKind::month, "2026-02-10 10:00:00", -5 * 3600),
            Texts("2026-02-01 00:00:00", "2026-02-28 23:59:59"));
}

TEST(WindowPeriod, FixedWindowsDoNotMove) {
  config::WindowConfig w{"q4", WindowKind::fixed, at("2026-10-01 00:00:00", kPlus8), at("2026-12-31 23:59:59", kPlus8)};
  for (const char* now : {"2026-01-01 00:00:00", "2026-11-15 00:00:00", "2027-06-01 00:00:00"}) {
    const Period p = period_of(w, at(now, kPlus8), kPlus8);
    EXPECT_EQ(p.start, w.start);
    EXPECT_EQ(p.end, w.end);
  }
  const Period p{w.start, w.end};
  EXPECT_TRUE(p.contains(w.start));
  EXPECT_TRUE(p.contains(w.end));
  EXPECT_FALSE(p.contains(w.start - 1));
  EXPECT_FALSE(p.contains(w.end + 1));
}

}  // namespace
}  // namespace coinw::collect
