#pragma once
// Serves the passes of one lane (the collectors of an account that share a
// rate limit) within a budget, one request at a time. The most urgent kind goes
// first (Priority); passes of one kind take turns, so a tight budget starves no
// quote. A pass that starts a long walk (Want::starts_pass at cumulative
// priority) does not start again while a less urgent pass that was already
// waiting when it last completed still waits: priority orders the work of a
// scrape, it does not starve a window.
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "collect/pass.h"

namespace coinw::collect {

class Scheduler {
 public:
  // A pass and the index of the collector it belongs to (the account's list).
  struct Entry {
    Pass* pass;
    size_t collector;
  };
  struct Hooks {
    // After an answer was applied; `completed` when it ended a pass.
    std::function<void(size_t collector, bool completed, const Now&)> applied;
    std::function<void(size_t collector, const api::ApiError&)> failed;
  };
  // What one run did for one collector.
  struct Work {
    bool tried = false;   // a request was sent
    bool failed = false;  // and one failed
    Duration spent{};     // in its steps, limiter waits included
  };
  struct Outcome {
    std::map<size_t, Work> work;  // by collector
    bool rolled = false;          // a window's period rolled over: its old data is gone
  };

  explicit Scheduler(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  // Until nothing is due or the budget ends (the client refuses to send).
  Outcome run(api::Client& client, Clock& clock, const std::function<TimePoint()>& send_deadline, const Hooks& hooks);
  // Rolls every pass to the current period; true when one dropped data.
  bool roll(const Now& now);

 private:
  const Entry* pick(const Now& now, const std::set<const Pass*>& excluded);
  bool deferred(const Pass& p, Priority priority) const;

  struct Waiting {
    TimePoint since;
    Priority priority;
  };
  std::vector<Entry> entries_;
  size_t rotation_ = 0;
  std::map<const Pass*, Waiting> waiting_;      // since when a pass has had work, until it completes
  std::map<const Pass*, TimePoint> completed_;  // its last completion
};

}  // namespace coinw::collect
