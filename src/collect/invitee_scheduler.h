#pragma once
// Serves an account's invitee passes (cumulative, windows, watch list) within
// a scrape's budget, one request at a time, all on the key's one invitee
// limiter. The most urgent kind goes first (Priority); passes of one kind take
// turns, so a tight budget starves no quote. A cumulative pass does not start
// again while a window that was already due when it last completed still
// waits: priority orders the work of a scrape, it does not starve a window.
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "collect/pass.h"

namespace coinw::collect {

class InviteeScheduler {
 public:
  struct Hooks {
    // After an answer was applied; `completed` when it ended a pass.
    std::function<void(Pass&, bool completed, const Now&)> applied;
    std::function<void(const api::ApiError&)> failed;
  };
  struct Outcome {
    bool tried = false;   // a request was sent
    bool failed = false;  // and one failed
    bool rolled = false;  // a window's period rolled over: its old data is gone
  };

  explicit InviteeScheduler(std::vector<Pass*> passes) : passes_(std::move(passes)) {}

  // Until nothing is due or the budget ends (the client refuses to send).
  Outcome run(api::Client& client, Clock& clock, const std::function<TimePoint()>& send_deadline, const Hooks& hooks);
  // Rolls every window to the current period; true when one dropped data.
  bool roll(const Now& now);

 private:
  Pass* pick(const Now& now, const std::set<const Pass*>& excluded);
  bool deferred(const Pass& cumulative) const;

  std::vector<Pass*> passes_;
  size_t rotation_ = 0;
  std::map<const Pass*, TimePoint> waiting_;    // since when a pass has had work, until it completes
  std::map<const Pass*, TimePoint> completed_;  // its last completion
};

}  // namespace coinw::collect
