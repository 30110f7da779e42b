#pragma once
// Serves the passes of one lane (the collectors of an account that share a
// rate limit), one request at a time, until nothing is due or the send
// deadline is out of reach. The most urgent kind goes first (Priority), also
// over a less urgent pass in the middle of its walk, which resumes in the next
// gap: so a window walks while the cumulative list waits for its interval, and
// the list is not delayed by it. Passes of one kind take turns, so no quote or
// window of a kind starves another. When the limit cannot serve every interval
// (a walk outlasting its interval, so the pass is due again the moment it
// completes), that pass does not start again while a less urgent one that was
// already waiting when it completed still waits: priority orders the work, it
// does not starve a window.
//
// Quiet when unwatched: a pass starts only while the last scrape is more
// recent than its interval (or once on a scrape's arrival, so that a scrape
// always gets what is due then, whatever the interval), so once scrapes stop,
// requests stop as soon as the passes already started are done, and none
// start at all after the longest interval. A pass that failed tries again only after a new scrape, as
// it did when refreshes ran only inside scrapes.
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
    bool more = false;            // stopped with work still due: at the send deadline, or interrupted
  };

  explicit Scheduler(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  // Serves what is due, as of `last_scrape`; `interrupted` (a new scrape, say)
  // ends the run between two requests, with `more` set.
  Outcome run(api::Client& client, Clock& clock, const std::function<TimePoint()>& send_deadline, const Hooks& hooks,
              TimePoint last_scrape, const std::function<bool()>& interrupted = {});
  // A new scrape: every pass may start once, and those that failed try again.
  void new_scrape() {
    failed_.clear();
    started_.clear();
  }
  // After this long without a scrape no pass starts: the longest interval of its passes.
  Duration watch_window() const;
  // How long after a scrape counts as its arrival.
  static constexpr Duration kArrival = std::chrono::seconds(1);

 private:
  const Entry* pick(const Now& now, TimePoint last_scrape, const std::set<const Pass*>& excluded);
  bool deferred(const Pass& p, Priority priority) const;
  bool watched(const Pass& p, Duration since_scrape) const;
  bool roll(const Now& now);

  struct Waiting {
    TimePoint since;
    Priority priority;
  };
  std::vector<Entry> entries_;
  std::map<Priority, size_t> turn_;         // per kind, the entry whose turn it is (once one was served)
  Priority picked_{};                       // the kind of the last pick
  std::map<const Pass*, Waiting> waiting_;  // since when a pass has had work, until it completes
  struct Completion {
    TimePoint at;
    bool due_again;  // it wanted to start again the moment it completed
  };
  std::map<const Pass*, Completion> completed_;  // its last completion
  std::set<const Pass*> failed_;                 // since the last scrape
  std::set<const Pass*> started_;                // since the last scrape
};

}  // namespace coinw::collect
