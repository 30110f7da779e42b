#pragma once
// One kind of pass over the invitee endpoint: the cumulative list of a quote,
// a window of it, or the watch list. The scheduler (invitee_scheduler.h) asks
// every pass what it wants and serves the most urgent, one request at a time,
// so every kind resumes across scrapes and shares the key's rate limit.
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "api/client.h"
#include "common/clock.h"

namespace coinw::collect {

using WallTime = std::chrono::system_clock::time_point;

// Served in this order when a scrape's budget cannot serve everything.
enum class Priority { watch, cumulative, open_window, closed_window };

struct Now {
  TimePoint steady;
  WallTime wall;
};

struct Want {
  Priority priority;
  bool starts_pass;  // false: continues a pass in progress
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
  // The request wants() announced, starting a pass when it said so.
  virtual api::InviteeQuery take(const Now& now) = 0;
  // The answer to the query take() returned; true when it completed a pass.
  virtual bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) = 0;
  virtual bool is_window() const { return false; }
  // Drops what the pass holds when its period ended (windows): true when data changed.
  virtual bool roll(const Now&) { return false; }

  // For coinw_invitee_pass_*: read by scrapes while a refresh writes.
  void count_request() { requests_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  std::optional<double> last_complete_seconds() const {
    const double s = last_complete_.load(std::memory_order_relaxed);
    return std::isnan(s) ? std::nullopt : std::optional(s);
  }

 protected:
  void completed_at(WallTime t) {
    last_complete_.store(std::chrono::duration<double>(t.time_since_epoch()).count(), std::memory_order_relaxed);
  }
  void forget_completion() { last_complete_.store(std::nan(""), std::memory_order_relaxed); }

 private:
  const std::string name_, quote_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<double> last_complete_{std::nan("")};
};

}  // namespace coinw::collect
