#include "common/clock.h"

#include <thread>

namespace coinw {

TimePoint SystemClock::now() const { return SteadyClock::now(); }

std::chrono::system_clock::time_point SystemClock::wall_now() const {
  return std::chrono::system_clock::now();
}

void SystemClock::sleep_until(TimePoint t) { std::this_thread::sleep_until(t); }

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace coinw
