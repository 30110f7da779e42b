#pragma once
// Wall-clock time as CoinW and Prometheus count it: unix seconds. Steady time
// (clock.h) schedules; wall time stamps what is exported and saved.
#include <chrono>
#include <cstdint>

namespace coinw {

using WallTime = std::chrono::system_clock::time_point;

// For *_timestamp_seconds samples.
inline double unix_seconds(WallTime t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }
// Whole seconds, as CoinW's time strings and windows have them.
inline int64_t unix_whole_seconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
// The futures signature's timestamp.
inline int64_t unix_millis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace coinw
