#pragma once
// Thread-safe home of every limiter in the process. A request usually needs
// several limits at once (its endpoint per credential, and a global one per IP),
// so it takes a permit from all of them atomically.
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "ratelimit/window_limiter.h"

namespace coinw::ratelimit {

// At most `max_requests` per `window`, as the server receives them (see WindowLimiter).
struct LimitSpec {
  int max_requests;
  Duration window;
  Duration margin;
};

class RateGate;

// Held while a request is in flight; finishing it (or destroying it) records
// the answer time in every limiter it came from.
class Permit {
 public:
  Permit(Permit&& other) noexcept;
  Permit& operator=(Permit&&) = delete;
  ~Permit();
  void finish();

 private:
  friend class RateGate;
  Permit(RateGate* gate, std::vector<std::pair<WindowLimiter*, uint64_t>> ids);
  RateGate* gate_;
  std::vector<std::pair<WindowLimiter*, uint64_t>> ids_;
};

enum class Refusal { over_budget, paused };

struct Acquired {
  std::optional<Permit> permit;  // empty: refused
  Refusal refusal = Refusal::over_budget;
  Duration waited{};
};

class RateGate {
 public:
  explicit RateGate(Clock& clock);

  // The limiter for `key`, created on first use. A different `spec` for an
  // existing key replaces its limits but keeps its history: a reload's new
  // limits take effect at once and still count the requests already sent.
  WindowLimiter* limiter(const std::string& key, const LimitSpec& spec);

  // Waits until all `limiters` allow a send, then records it. Refuses without
  // waiting when that moment is after `deadline` (paused, or simply too late),
  // and at `deadline` when an unanswered request still holds the slot.
  Acquired acquire(const std::vector<WindowLimiter*>& limiters, TimePoint deadline);
  void pause(WindowLimiter* limiter, TimePoint until);
  // When `limiter` is paused, until when.
  std::optional<TimePoint> paused_until(WindowLimiter* limiter);

  Clock& clock() { return clock_; }

 private:
  friend class Permit;
  void finish(const std::vector<std::pair<WindowLimiter*, uint64_t>>& ids);

  Clock& clock_;
  std::mutex mu_;
  std::condition_variable answered_;
  uint64_t answers_ = 0;  // requests finished so far, to wake acquire()
  std::map<std::string, std::unique_ptr<WindowLimiter>> limiters_;
};

}  // namespace coinw::ratelimit
