#pragma once
// A pass: one walk over what a collector fetches (a quote's invitee list, a
// window of it, the watch list, the sub-account list), one request at a time.
// The scheduler (scheduler.h) asks every pass of a lane what it wants and lets
// the most urgent take one step, so every kind resumes across scrapes and the
// passes of a lane share its rate limit.
#include <atomic>
#include <cmath>
#include <optional>
#include <string>

#include "api/client.h"
#include "common/clock.h"
#include "common/wall_time.h"

namespace coinw::collect {

// Served in this order when a budget cannot serve everything. The funnel's
// (registrations, open_day, closed_days): an incremental sign-up pass is one
// request every few minutes, so it goes before the long walks it would
// hardly delay; the open day's volume after the open windows, which it
// resembles; closed days last, as closed windows: final data waits for nothing.
// The sub-account lane, after its list: the key inventory (one request, a
// security audit) before the funds walk (one request per sub-account and coin).
enum class Priority {
  watch,
  list,
  registrations,
  cumulative,
  open_window,
  open_day,
  closed_window,
  closed_days,
  api_keys,
  funds,
};

struct Now {
  TimePoint steady;
  WallTime wall;
};

struct Want {
  Priority priority;
  bool starts_pass;  // false: continues a pass in progress
};

// One request of a pass, sent and applied.
struct Step {
  std::optional<api::ApiError> error;  // it failed, or was not sent (error->sent false)
  bool completed = false;              // its answer completed a pass
  Now at{};                            // when the answer was applied
};

class Pass {
 public:
  Pass(std::string name, std::string quote) : name_(std::move(name)), quote_(std::move(quote)) {}
  virtual ~Pass() = default;
  Pass(const Pass&) = delete;
  Pass& operator=(const Pass&) = delete;

  const std::string& name() const { return name_; }  // the `pass` label
  const std::string& quote() const { return quote_; }

  // Whether the pass has a request to make now; no side effect.
  virtual std::optional<Want> wants(const Now& now) const = 0;
  // How often it runs when due. It starts only while a scrape came within this
  // long (scheduler.h): quiet when nobody watches.
  virtual Duration interval() const = 0;
  // Sends the request wants() announced (starting a pass when it said so)
  // through `client`, never after `send_deadline`, and applies the answer.
  virtual Step step(api::Client& client, TimePoint send_deadline, Clock& clock) = 0;
  // Moves to the current period (windows): true when data of the old one went.
  virtual bool roll(const Now&) { return false; }

  // For the per-pass metrics: read by scrapes while a refresh writes.
  void count_request() { requests_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  std::optional<double> last_complete_seconds() const {
    const double s = last_complete_.load(std::memory_order_relaxed);
    return std::isnan(s) ? std::nullopt : std::optional(s);
  }

 protected:
  void completed_at(WallTime t) { last_complete_.store(unix_seconds(t), std::memory_order_relaxed); }

 private:
  const std::string name_, quote_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<double> last_complete_{std::nan("")};
};

}  // namespace coinw::collect
