#include "collect/scheduler.h"

namespace coinw::collect {

bool Scheduler::roll(const Now& now) {
  bool dropped = false;
  for (const auto& e : entries_) dropped = e.pass->roll(now) || dropped;
  return dropped;
}

bool Scheduler::deferred(const Pass& p, Priority priority) const {
  auto done = completed_.find(&p);
  if (done == completed_.end()) return false;
  for (const auto& [other, w] : waiting_)
    if (w.priority > priority && w.since <= done->second) return true;
  return false;
}

const Scheduler::Entry* Scheduler::pick(const Now& now, const std::set<const Pass*>& excluded) {
  const Entry* best = nullptr;
  Priority best_priority{};
  size_t best_index = 0;
  for (size_t k = 0; k < entries_.size(); ++k) {
    const size_t i = (rotation_ + k) % entries_.size();
    Pass* p = entries_[i].pass;
    if (excluded.contains(p)) continue;
    const auto want = p->wants(now);
    if (!want) {
      waiting_.erase(p);  // e.g. a window whose period rolled over before it was served
      continue;
    }
    waiting_.try_emplace(p, Waiting{now.steady, want->priority});
    if (want->starts_pass && want->priority == Priority::cumulative && deferred(*p, want->priority)) continue;
    if (!best || want->priority < best_priority) {
      best = &entries_[i];
      best_priority = want->priority;
      best_index = i;
    }
  }
  if (best) rotation_ = best_index + 1;
  return best;
}

Scheduler::Outcome Scheduler::run(api::Client& client, Clock& clock, const std::function<TimePoint()>& send_deadline,
                                  const Hooks& hooks) {
  Outcome o;
  // Failed in this run (they retry on the next scrape), or completed in it: a
  // pass with a zero interval must not keep a refresh going forever.
  std::set<const Pass*> excluded;
  for (;;) {
    const Now now{clock.now(), clock.wall_now()};
    o.rolled = roll(now) || o.rolled;
    const Entry* e = pick(now, excluded);
    if (!e) break;
    Pass& p = *e->pass;
    const Step s = p.step(client, send_deadline(), clock);
    const bool out_of_budget = s.error && !s.error->sent && s.error->reason == api::FailureReason::timeout;
    if (out_of_budget) break;  // resume next scrape
    Work& w = o.work[e->collector];
    w.spent += clock.now() - now.steady;
    w.tried = true;
    if (s.error) {
      w.failed = true;
      hooks.failed(e->collector, *s.error);
      if (!s.error->sent) break;  // paused after a rate-limit answer: every pass of the lane waits
      p.count_request();
      excluded.insert(&p);
      continue;
    }
    p.count_request();
    if (s.completed) {
      waiting_.erase(&p);
      completed_[&p] = s.at.steady;
      excluded.insert(&p);
    }
    hooks.applied(e->collector, s.completed, s.at);
  }
  return o;
}

}  // namespace coinw::collect
