#pragma once
// Time is injected everywhere it matters, so limiter and client tests run on a
// fake clock and never sleep.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

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
  // Waits on `cv` (with `lock` held) until `done()` or `deadline` by this
  // clock; returns done(). Deadlines come from now(), so only the clock knows
  // how to wait for them: a fake clock waits in virtual time.
  virtual bool wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                          const std::function<bool()>& done) = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  std::chrono::system_clock::time_point wall_now() const override;
  void sleep_until(TimePoint t) override;
  bool wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                  const std::function<bool()>& done) override;
  static SystemClock& instance();
};

}  // namespace coinw
