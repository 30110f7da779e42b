// CoinW's time format and the UTC offsets, shared by the client, the
// configuration and the simulator (docs/coinw-api.md §4).
#include "common/timefmt.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "sim/simulator.h"

namespace coinw {
namespace {

TEST(TimeFormat, ParsesUtcAndOffsets) {
  EXPECT_EQ(parse_coinw_time("1970-01-01 00:00:00", 0), 0);
  EXPECT_EQ(parse_coinw_time("2024-01-02 03:04:05", 0), 1704164645);
  EXPECT_EQ(parse_coinw_time("2024-01-02 11:04:05", 8 * 3600), 1704164645);
  EXPECT_EQ(parse_coinw_time("2024-02-29 00:00:00", 0), 1709164800);
}

TEST(TimeFormat, RejectsImpossibleAndMalformed) {
  for (const char* s : {"2023-02-29 00:00:00", "2023-02-30 00:00:00", "2024-13-01 00:00:00", "2024-01-01 24:00:00",
                        "2024-01-01T00:00:00", "2024-01-01 00:00", "2023-11-15 6:13:20", "", "abcd-ef-gh ij:kl:mn",
                        "2024-01-01 00:00:0x", "2024-01-01 00:00:-1", "+024-01-01 00:00:00"})
    EXPECT_EQ(parse_coinw_time(s, 0), std::nullopt) << s;
}

TEST(TimeFormat, FormatsInTheZoneAndReadsBack) {
  EXPECT_EQ(format_coinw_time(1700000000, 0), "2023-11-14 22:13:20");
  EXPECT_EQ(format_coinw_time(1700000000, 8 * 3600), "2023-11-15 06:13:20");
  EXPECT_EQ(format_coinw_time(1700000000, -(5 * 3600 + 30 * 60)), "2023-11-14 16:43:20");
  for (int offset : {0, 8 * 3600, -(5 * 3600 + 30 * 60), 14 * 3600})
    for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{1700000000}, int64_t{4102444799}})
      EXPECT_EQ(parse_coinw_time(format_coinw_time(t, offset), offset), t) << t << " at " << offset;
}

TEST(CoinwDate, DaysSinceTheEpochBothWays) {
  EXPECT_EQ(parse_coinw_date("1970-01-02"), 1);
  EXPECT_EQ(parse_coinw_date("2026-11-30"), 20787);
  EXPECT_EQ(format_coinw_date(20787), "2026-11-30");
  for (const char* s : {"2026-11-31", "2026-11-3", "2026-11-30 ", "20261130", "", "2026-11-30 00:00:00"})
    EXPECT_EQ(parse_coinw_date(s), std::nullopt) << s;
}

TEST(CoinwDate, LocalDaysInAZone) {
  const int64_t t = *parse_coinw_time("2026-11-30 20:00:00", 0);
  EXPECT_EQ(local_day(t, 0), 20787);
  EXPECT_EQ(local_day(t, 8 * 3600), 20788) << "04:00 the next day in UTC+8";
  EXPECT_EQ(local_day(t, -21 * 3600 + 1), 20786);
  EXPECT_EQ(day_start(20788, 8 * 3600), *parse_coinw_time("2026-12-01 00:00:00", 8 * 3600));
  EXPECT_EQ(local_day(-1, 0), -1);
}

TEST(UtcOffset, Table) {
  const std::vector<std::pair<std::string, std::optional<int>>> cases = {
      {"UTC", 0},         {"Z", 0},          {"+00:00", 0},         {"-00:00", 0},      {"+08:00", 28800},
      {"-05:30", -19800}, {"+05:45", 20700}, {"+14:00", 50400},     {"-12:00", -43200}, {"-14:00", -50400},
      {"+14:01", {}},     {"+15:00", {}},    {"+08:60", {}},        {"+8:00", {}},      {"08:00", {}},
      {"+0800", {}},      {"0800", {}},      {"+08", {}},           {"utc", {}},        {"GMT", {}},
      {"", {}},           {"+08:00 ", {}},   {"Asia/Shanghai", {}}, {"+0a:00", {}}};
  for (const auto& [text, seconds] : cases) EXPECT_EQ(parse_utc_offset(text), seconds) << text;
}

// The Date header: IMF-fixdate only, a real date, read back as written.
TEST(HttpDate, ReadsAndWritesImfFixdate) {
  EXPECT_EQ(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), 1700000000);
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(format_http_date(1700000000), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(format_http_date(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  for (int64_t t : {0LL, 951782399LL, 1700000000LL, 4102444799LL}) EXPECT_EQ(parse_http_date(format_http_date(t)), t);
  for (const char* bad :
       {"", "Tue, 14 Nov 2023 22:13:20 UTC", "Tuesday, 14-Nov-23 22:13:20 GMT", "Tue Nov 14 22:13:20 2023",
        "Tue, 31 Nov 2023 22:13:20 GMT", "Tue, 14 Nox 2023 22:13:20 GMT", "Xyz, 14 Nov 2023 22:13:20 GMT",
        "Tue, 14 Nov 2023 24:13:20 GMT", "Tue,  4 Nov 2023 22:13:20 GMT"})
    EXPECT_FALSE(parse_http_date(bad)) << bad;
}

// The simulator reads its zone with the same parser as the exporter's config:
// what one accepts, the other does.
TEST(UtcOffset, SimulatorAcceptsWhatTheConfigAccepts) {
  for (const char* zone : {"UTC", "Z", "+08:00", "-05:30"}) {
    sim::Options o;
    o.time_zone_offset = zone;
    EXPECT_NO_THROW(sim::Simulator{o}) << zone;
  }
  sim::Options bad;
  bad.time_zone_offset = "+15:00";
  EXPECT_THROW(sim::Simulator{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace coinw
