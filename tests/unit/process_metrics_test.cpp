#include "exporter/process_metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace coinw::exporter {
namespace {

// Recorded from a coinw_exporter process, with the command name made hostile.
constexpr std::string_view kSelfStat =
    "14917 (coinw (x) ) y) S 14913 14913 3867 0 -1 4194304 99 0 0 0 250 125 0 0 20 0 65 0 52940 "
    "3133440 359 18446744073709551615 94061787607040 94061787626921 140722969018272 0 0 0 0 0 0 0 0 0 17 1 0 0 0 "
    "0 0\n";
constexpr std::string_view kSystemStat =
    "cpu  1262 0 1303 134589 216 0 40 0 0 0\nintr 292150 0\nctxt 583024\nbtime 1796092612\nprocesses 14919\n";
constexpr std::string_view kLimits =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max open files            20000                1048576              files     \n";

TEST(ProcessMetrics, ParsesRecordedProcText) {
  const auto s = parse_process_stats(kSelfStat, kSystemStat, kLimits, 100, 4096);
  EXPECT_EQ(s.cpu_seconds, 3.75);  // (250 + 125) ticks / 100 Hz
  EXPECT_EQ(s.start_time_seconds, 1796092612 + 529.40);
  EXPECT_EQ(s.virtual_bytes, 3133440);
  EXPECT_EQ(s.resident_bytes, 359 * 4096);
  EXPECT_EQ(s.max_fds, 20000) << "the soft limit";
  EXPECT_FALSE(s.open_fds) << "counted from /proc/self/fd, not parsed";
}

TEST(ProcessMetrics, BrokenTextLeavesFieldsOutAndNeverThrows) {
  auto s = parse_process_stats("", "", "", 100, 4096);
  EXPECT_FALSE(s.cpu_seconds || s.start_time_seconds || s.virtual_bytes || s.resident_bytes || s.max_fds);
  s = parse_process_stats("1 (x) S 1 2 3", kSystemStat, "Max open files   unlimited  unlimited  files\n", 100, 4096);
  EXPECT_FALSE(s.cpu_seconds || s.virtual_bytes || s.max_fds);
  s = parse_process_stats(kSelfStat, "no btime here\n", kLimits, 100, 4096);
  EXPECT_FALSE(s.start_time_seconds);
  EXPECT_EQ(s.cpu_seconds, 3.75);
}

TEST(ProcessMetrics, GoClientNamesTypesAndHelp) {
  exposition::FamilySet out;
  append_process_metrics(parse_process_stats(kSelfStat, kSystemStat, kLimits, 100, 4096), out);
  const auto text = out.render();
  for (const char* line : {
           "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
           "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3.75\n",
           "# HELP process_max_fds Maximum number of open file descriptors.\n# TYPE process_max_fds gauge\n"
           "process_max_fds 20000\n",
           "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
           "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes 3133440\n",
           "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
           "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1470464\n",
           "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
           "# TYPE process_start_time_seconds gauge\n",
       })
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin\n" << text;
  EXPECT_EQ(text.find("process_open_fds"), std::string::npos) << "unknown values are left out";
}

// The I/O half against this very process.
TEST(ProcessMetrics, ReadsThisProcess) {
  const auto before = read_process_stats();
  std::ifstream extra("/proc/self/stat");  // one more open descriptor
  const auto during = read_process_stats();
  ASSERT_TRUE(before.open_fds && during.open_fds && before.max_fds && before.cpu_seconds);
  EXPECT_EQ(*during.open_fds, *before.open_fds + 1);
  EXPECT_GT(*before.resident_bytes, 0);
  EXPECT_GE(*before.virtual_bytes, *before.resident_bytes);
  EXPECT_GT(*before.start_time_seconds, 1.5e9);
  EXPECT_LE(*before.start_time_seconds, static_cast<double>(time(nullptr)) + 1);
}

}  // namespace
}  // namespace coinw::exporter
