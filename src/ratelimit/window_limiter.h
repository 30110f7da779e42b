#pragma once
// A limit of N requests per window that holds as the server receives them,
// whatever the network delay. A request can arrive at the server any time
// between its send and its response, so the rule is: request j may be sent only
// after every request up to j-N has been answered, and `window + margin` after
// the latest of those answers. Any N+1 requests then include two whose arrivals
// are more than a window apart. Sequential paging on a fast link still runs at
// N per (window + margin + one round trip). The strict reading of CoinW's limits (docs/coinw-api.md §3).
// Single-threaded and clock-free: time is an argument (see RateGate for the
// thread-safe, clock-driven wrapper).
#include <cstdint>
#include <deque>
#include <optional>

#include "common/clock.h"

namespace coinw::ratelimit {

class WindowLimiter {
 public:
  WindowLimiter(int max_requests, Duration window, Duration margin);
  // New limits from now on; the requests already sent still count, so a lower
  // limit holds from its first request.
  void reconfigure(int max_requests, Duration window, Duration margin);
  bool same_limits(int max_requests, Duration window, Duration margin) const {
    return max_ == max_requests && window_ == window && margin_ == margin;
  }

  // Earliest time a new request may be sent, not before `now`; nullopt while an
  // unanswered request blocks it (wait for a completion, then ask again).
  std::optional<TimePoint> earliest(TimePoint now) const;
  // Records a send at `now`; the caller has checked earliest(). Returns its id.
  uint64_t on_send(TimePoint now);
  // Records the answer (or the give-up) of request `id` at `now`.
  void on_complete(uint64_t id, TimePoint now);
  // No request before `until` (after the server said we were too fast).
  void pause_until(TimePoint until);
  std::optional<TimePoint> paused_until(TimePoint now) const;

  int max_requests() const { return max_; }

 private:
  struct Entry {
    uint64_t id;
    std::optional<TimePoint> done;
  };
  int max_;
  Duration window_, margin_;
  std::deque<Entry> recent_;          // the last max_ requests (more after a lower limit), oldest first
  std::optional<TimePoint> horizon_;  // latest answer among older requests
  std::optional<TimePoint> pause_;
  uint64_t next_id_ = 0;
};

}  // namespace coinw::ratelimit
