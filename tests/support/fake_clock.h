#pragma once
// A clock that only moves when told to, or when someone sleeps on it: limiter,
// client and collector tests run in virtual time and never sleep.
#include <atomic>
#include <mutex>

#include "common/clock.h"

namespace coinw::testing {

class FakeClock final : public Clock {
 public:
  TimePoint now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  std::chrono::system_clock::time_point wall_now() const override {
    std::lock_guard lock(mu_);
    return wall_epoch_ + (now_ - kStart);
  }
  void sleep_until(TimePoint t) override {
    std::lock_guard lock(mu_);
    if (t > now_) now_ = t;
  }
  // Returns when `done()` holds, or once someone else (a test's advance(), a
  // sleeper) has moved virtual time to `deadline`. It checks again every
  // millisecond of real time: notifications alone could be lost, since the
  // clock does not know the waiter's mutex. That is the latency of a wake-up,
  // never a time a test measures.
  bool wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                  const std::function<bool()>& done) override {
    ++waiters_;
    struct Leave {
      std::atomic<int>& n;
      ~Leave() { --n; }
    } leave{waiters_};
    while (!done()) {
      if (now() >= deadline) return false;
      cv.wait_for(lock, std::chrono::milliseconds(1));
    }
    return true;
  }
  // Threads inside wait_until: a test advances time only once its subject waits.
  int waiters() const { return waiters_.load(); }
  void advance(Duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  // Moves the wall clock (not the steady one) so that it reads `t` now.
  void set_wall(std::chrono::system_clock::time_point t) {
    std::lock_guard lock(mu_);
    wall_epoch_ = t - (now_ - kStart);
  }

 private:
  // Wall time starts at the timestamp of CoinW's signing examples (tests/unit/signing_test.cpp).
  mutable std::mutex mu_;
  std::atomic<int> waiters_{0};
  static constexpr TimePoint kStart{std::chrono::seconds(1000)};
  TimePoint now_ = kStart;
  std::chrono::system_clock::time_point wall_epoch_{std::chrono::milliseconds(1700000000000)};
};

}  // namespace coinw::testing
