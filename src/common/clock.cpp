#include "common/clock.h"

#include <thread>

namespace coinw {

TimePoint SystemClock::now() const { return SteadyClock::now(); }

std::chrono::system_clock::time_point SystemClock::wall_now() const { return std::chrono::system_clock::now(); }

void SystemClock::sleep_until(TimePoint t) { std::this_thread::sleep_until(t); }

bool SystemClock::wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                             const std::function<bool()>& done) {
  return cv.wait_until(lock, deadline, done);
}

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace coinw
