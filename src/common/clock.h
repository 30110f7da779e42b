#pragma once
// Time is injected everywhere it matters, so limiter and client tests run on a
// fake clock and never sleep.
#include <chrono>

namespace coinw {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using Duration = SteadyClock::duration;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // Wall-clock time, for request timestamps and exported *_timestamp_seconds.
  virtual std::chrono::system_clock::time_point wall_now() const = 0;
  virtual void sleep_until(TimePoint t) = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  std::chrono::system_clock::time_point wall_now() const override;
  void sleep_until(TimePoint t) override;
  static SystemClock& instance();
};

}  // namespace coinw
