#pragma once
// Times as the collector tests write them: CoinW's format in the zone these
// tests give CoinW, +08:00, so that a local day is never a UTC day.
#include <chrono>
#include <cstdint>

#include "common/timefmt.h"

namespace coinw::testing {

inline constexpr int kOffset = 8 * 3600;
inline constexpr int64_t kUnit = 100'000'000;  // the simulator's amounts: units of 1e-8

inline int64_t unix_local(const char* text) { return parse_coinw_time(text, kOffset).value(); }
inline std::chrono::system_clock::time_point local(const char* text) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_local(text)));
}

}  // namespace coinw::testing
