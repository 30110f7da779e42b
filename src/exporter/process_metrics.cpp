#include "exporter/process_metrics.h"

#include "exposition/catalogue.h"

#include <dirent.h>
#include <malloc.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// The sanitizers replace malloc: glibc's arenas are unused (TSan even crashes
// in mallinfo2), so ask the sanitizer's allocator. Its header is not shipped.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#define COINW_SANITIZER_HEAP 1
#endif

namespace coinw::exporter {
namespace {

std::optional<double> number(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = s.find_first_not_of(" \t\n", i);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(s.find_first_of(" \t\n", start), s.size());
    out.push_back(s.substr(start, end - start));
    i = end;
  }
  return out;
}

// The value after `key` at the start of a line, e.g. "btime 1700000000".
std::optional<double> line_value(std::string_view text, std::string_view key) {
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    const auto line = text.substr(pos, end - pos);
    if (line.starts_with(key)) {
      const auto w = words(line.substr(key.size()));
      if (!w.empty()) return number(w[0]);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::string slurp(const char* path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<double> count_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double n = 0;
  while (const dirent* e = readdir(dir))
    if (e->d_name[0] != '.') ++n;
  closedir(dir);
  return n - 1;  // the descriptor of the listing itself
}

}  // namespace

ProcessStats parse_process_stats(std::string_view self_stat, std::string_view system_stat, std::string_view limits,
                                 long ticks_per_second, long page_size) {
  ProcessStats s;
  // The command name is in parentheses and may itself hold spaces and ')':
  // fields are counted from the last ')'. Field 3 (state) is the first after it.
  if (const auto paren = self_stat.rfind(')'); paren != std::string_view::npos && ticks_per_second > 0) {
    const auto f = words(self_stat.substr(paren + 1));
    auto field = [&](size_t n) { return n - 3 < f.size() ? number(f[n - 3]) : std::nullopt; };
    const auto utime = field(14), stime = field(15), start = field(22), btime = line_value(system_stat, "btime");
    const double hz = static_cast<double>(ticks_per_second);
    if (utime && stime) s.cpu_seconds = (*utime + *stime) / hz;
    if (start && btime) s.start_time_seconds = *btime + *start / hz;
    s.virtual_bytes = field(23);
    if (const auto rss = field(24)) s.resident_bytes = *rss * static_cast<double>(page_size);
  }
  // "Max open files            1024                 1048576              files"
  if (const auto max = line_value(limits, "Max open files")) s.max_fds = max;
  return s;
}

ProcessStats read_process_stats() {
  auto s = parse_process_stats(slurp("/proc/self/stat"), slurp("/proc/stat"), slurp("/proc/self/limits"),
                               sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
  s.open_fds = count_fds();
  return s;
}

void append_process_metrics(const ProcessStats& s, exposition::FamilySet& out) {
  namespace metric = exposition::metric;
  auto put = [&](const exposition::FamilySpec& f, const std::optional<double>& v) {
    if (v) exposition::sample(out, f, {}, *v);
  };
  put(metric::process_cpu_seconds, s.cpu_seconds);
  put(metric::process_open_fds, s.open_fds);
  put(metric::process_max_fds, s.max_fds);
  put(metric::process_virtual_memory_bytes, s.virtual_bytes);
  put(metric::process_resident_memory_bytes, s.resident_bytes);
  put(metric::process_start_time_seconds, s.start_time_seconds);
}

double heap_inuse_bytes() {
#ifdef COINW_SANITIZER_HEAP
  return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#else
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
#endif
}

}  // namespace coinw::exporter
