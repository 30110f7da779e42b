#pragma once
// The process_* metrics every Prometheus client library exports, with the Go
// client's names, types and HELP, read from /proc/self (Linux only).
#include <optional>
#include <string_view>

#include "exposition/family_set.h"

namespace coinw::exporter {

struct ProcessStats {
  std::optional<double> cpu_seconds, virtual_bytes, resident_bytes, start_time_seconds;
  std::optional<double> open_fds, max_fds;
};

// Pure: /proc/self/stat, /proc/stat (for btime) and /proc/self/limits as text.
// A field that cannot be read stays empty; nothing throws.
ProcessStats parse_process_stats(std::string_view self_stat, std::string_view system_stat, std::string_view limits,
                                 long ticks_per_second, long page_size);

// Reads /proc now; open_fds counts /proc/self/fd.
ProcessStats read_process_stats();

// Bytes allocated and not yet freed: what a leak raises and scheduling does
// not (RSS also counts memory the allocator keeps, and the buffers of the
// scrapes in flight at that instant).
double heap_inuse_bytes();

// Appends the families whose values are known.
void append_process_metrics(const ProcessStats& stats, exposition::FamilySet& out);

}  // namespace coinw::exporter
