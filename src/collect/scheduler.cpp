#include "collect/scheduler.h"

#include <algorithm>

namespace coinw::collect {

bool Scheduler::roll(const Now& now) {
  bool dropped = false;
  for (const auto& e : entries_) dropped = e.pass->roll(now) || dropped;
  return dropped;
}

bool Scheduler::watched(const Pass& p, Duration since_scrape) const {
  return since_scrape <= p.interval() || (since_scrape <= kArrival && !started_.contains(&p));
}

Duration Scheduler::watch_window() const {
  Duration longest{};
  for (const auto& e : entries_) longest = std::max(longest, e.pass->interval());
  return longest;
}

bool Scheduler::deferred(const Pass& p, Priority priority) const {
  auto done = completed_.find(&p);
  if (done == completed_.end() || !done->second.due_again) return false;
  for (const auto& [other, w] : waiting_)
    if (w.priority > priority && w.since <= done->second.at) return true;
  return false;
}

const Scheduler::Entry* Scheduler::pick(const Now& now, TimePoint last_scrape, const std::set<const Pass*>& excluded) {
  const Entry* best = nullptr;
  Priority best_priority{};
  size_t best_distance = 0;  // from its kind's turn, in list order
  const size_t n = entries_.size();
  for (size_t i = 0; i < n; ++i) {
    Pass* p = entries_[i].pass;
    if (excluded.contains(p) || failed_.contains(p)) continue;
    auto want = p->wants(now);
    if (want && want->starts_pass && !watched(*p, now.steady - last_scrape)) want.reset();
    if (!want) {
      waiting_.erase(p);  // e.g. a window whose period rolled over before it was served
      continue;
    }
    waiting_.try_emplace(p, Waiting{now.steady, want->priority});
    if (want->starts_pass && deferred(*p, want->priority)) continue;
    const size_t distance = (i + n - turn_[want->priority]) % n;
    if (!best || want->priority < best_priority || (want->priority == best_priority && distance < best_distance)) {
      best = &entries_[i];
      best_priority = want->priority;
      best_distance = distance;
    }
  }
  picked_ = best_priority;
  return best;
}

Scheduler::Outcome Scheduler::run(api::Client& client, Clock& clock, const std::function<TimePoint()>& send_deadline,
                                  const Hooks& hooks, TimePoint last_scrape, const std::function<bool()>& interrupted) {
  Outcome o;
  // Completed in this run and due again at once (a zero interval, or a walk
  // longer than it): such a pass must not keep a run going forever.
  std::set<const Pass*> completed;
  for (;;) {
    if (interrupted && interrupted()) {
      o.more = true;
      break;
    }
    const Now now{clock.now(), clock.wall_now()};
    o.rolled = roll(now) || o.rolled;
    const Entry* e = pick(now, last_scrape, completed);
    if (!e) break;
    Pass& p = *e->pass;
    const bool starts = p.wants(now).value_or(Want{}).starts_pass;
    const Step s = p.step(client, send_deadline(), clock);
    if (s.error && !s.error->sent && s.error->reason == api::FailureReason::timeout) {
      o.more = true;
      break;  // it keeps its turn
    }
    turn_[picked_] = static_cast<size_t>(e - entries_.data()) + 1;
    if (starts) started_.insert(&p);
    Work& w = o.work[e->collector];
    w.spent += clock.now() - now.steady;
    w.tried = true;
    if (s.error) {
      w.failed = true;
      failed_.insert(&p);
      hooks.failed(e->collector, *s.error);
      if (!s.error->sent) break;  // paused after a rate-limit answer: every pass of the lane waits
      p.count_request();
      continue;
    }
    p.count_request();
    if (s.completed) {
      waiting_.erase(&p);
      const bool due_again = p.wants(s.at).has_value();
      completed_[&p] = Completion{s.at.steady, due_again};
      if (due_again) completed.insert(&p);
    }
    hooks.applied(e->collector, s.completed, s.at);
  }
  return o;
}

}  // namespace coinw::collect
