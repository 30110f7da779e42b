#pragma once
// Strict sliding-window rate limiting as the exchange is assumed to apply it: at
// most `limit` arrivals in any closed window [t - window, t]. Refused arrivals
// still count, like a server that logs every request it receives. Time is a
// parameter, so tests drive it without sleeping. Not thread-safe.
#include <chrono>
#include <deque>
#include <map>
#include <string>

#include "common/clock.h"

namespace coinw::sim {

class SlidingWindow {
 public:
  // limit <= 0: unlimited.
  explicit SlidingWindow(int limit, Duration window = std::chrono::seconds(1));
  // Records an arrival at `t` (non-decreasing); false when the window ending at
  // `t` already held `limit` arrivals.
  bool arrive(TimePoint t);
  // Arrivals in the closed window ending at `t`.
  size_t count(TimePoint t);

 private:
  void prune(TimePoint t);
  int limit_;
  Duration window_;
  std::deque<TimePoint> arrivals_;
};

// One window per key (api key, IP address).
class KeyedWindows {
 public:
  explicit KeyedWindows(int limit) : limit_(limit) {}
  bool arrive(const std::string& key, TimePoint t);

 private:
  int limit_;
  std::map<std::string, SlidingWindow> windows_;
};

}  // namespace coinw::sim
