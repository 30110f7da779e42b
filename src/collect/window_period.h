#pragma once
// The period a window covers at a given moment. Calendar windows follow the
// clock in the zone CoinW reads startTime/endTime in (global.time_zone): today
// is 00:00:00..23:59:59 of the local day, a week runs Monday to Sunday (ISO).
// Both ends are included, whole seconds, as CoinW takes them.
#include <cstdint>

#include "config/config.h"

namespace coinw::collect {

struct Period {
  int64_t start = 0, end = 0;  // unix seconds, both included
  bool contains(int64_t t) const { return start <= t && t <= end; }
  bool operator==(const Period&) const = default;
};

Period period_of(const config::WindowConfig& w, int64_t now_s, int offset_s);

}  // namespace coinw::collect
