#pragma once
// Virtual time for benchmarks of the background refresh: the exporter's lane
// threads sleep and wait on this clock, and the benchmark's thread moves time
// to the next event (the earliest wake-up any lane waits for, or the next
// scrape) only once every lane is waiting. Hours of scrapes then take seconds,
// and the request times are those a real run would have, without real sleeps.
// FakeClock (tests/support) moves on every sleep instead, which is right for a
// single thread but lets a lane run ahead of the scrapes.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <vector>

#include "common/clock.h"

namespace coinw::bench {

class EventClock final : public Clock {
 public:
  explicit EventClock(std::chrono::system_clock::time_point wall) : wall0_(wall) {}

  TimePoint now() const override {
    std::lock_guard lock(mu_);
    ++activity_;  // a thread that asks the time is still working
    return now_;
  }
  std::chrono::system_clock::time_point wall_now() const override {
    std::lock_guard lock(mu_);
    return wall0_ + (now_ - kStart);
  }
  void sleep_until(TimePoint t) override {
    std::unique_lock lock(mu_);
    if (t <= now_) return;
    const auto at = enter(t);
    moved_.wait(lock, [&] { return now_ >= t; });
    leave(at);
  }
  // A move of time notifies the caller's condition variable under the
  // caller's mutex (run_until), so the wake-up cannot slip in between the
  // check of the time and the wait.
  bool wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                  const std::function<bool()>& done) override {
    std::multiset<TimePoint>::iterator at;
    std::multiset<Waiter>::iterator waiter;
    {
      std::lock_guard g(mu_);
      at = enter(deadline);
      waiter = waiters_.insert(Waiter{&cv, lock.mutex()});
    }
    bool result = false;
    for (;;) {
      if (done()) {
        result = true;
        break;
      }
      if (now() >= deadline) break;
      cv.wait_for(lock, std::chrono::milliseconds(50));
    }
    std::lock_guard g(mu_);
    leave(at);
    waiters_.erase(waiter);
    return result;
  }

  // Moves time to `until`, event by event: each time every thread on the
  // clock waits for a later time, to the earliest of them. A clock nobody has
  // touched for 20 ms of real time has no lane left (one that ended: nothing
  // could start any more).
  void run_until(TimePoint until) {
    std::unique_lock lock(mu_);
    while (now_ < until) {
      for (;;) {
        if (!waits_.empty() && *waits_.begin() > now_) break;
        const uint64_t seen = activity_;
        moved_.wait_for(lock, std::chrono::milliseconds(20), [&] { return activity_ != seen; });
        if (activity_ == seen && waits_.empty()) break;
      }
      now_ = waits_.empty() ? until : std::min(*waits_.begin(), until);
      ++activity_;
      moved_.notify_all();
      // Our mutex is let go first: a waiter takes it (now()) while holding its own.
      const std::vector<Waiter> waiters(waiters_.begin(), waiters_.end());
      lock.unlock();
      for (const auto& w : waiters) {
        std::lock_guard caller(*w.mutex);
        w.cv->notify_all();
      }
      lock.lock();
    }
  }

 private:
  static constexpr TimePoint kStart{std::chrono::seconds(1000)};
  std::multiset<TimePoint>::iterator enter(TimePoint t) {
    ++activity_;
    moved_.notify_all();
    return waits_.insert(t);
  }
  void leave(std::multiset<TimePoint>::iterator at) {
    waits_.erase(at);
    ++activity_;
    moved_.notify_all();
  }

  mutable std::mutex mu_;
  std::condition_variable moved_;
  TimePoint now_ = kStart;
  const std::chrono::system_clock::time_point wall0_;
  struct Waiter {
    std::condition_variable* cv;
    std::mutex* mutex;
    bool operator<(const Waiter& o) const { return cv < o.cv || (cv == o.cv && mutex < o.mutex); }
  };
  std::multiset<TimePoint> waits_;  // when each waiting thread wants to wake
  std::multiset<Waiter> waiters_;   // those in wait_until, to notify when time moves
  mutable uint64_t activity_ = 0;
};

}  // namespace coinw::bench
