#include "collect/invitee_scheduler.h"

namespace coinw::collect {

bool InviteeScheduler::roll(const Now& now) {
  bool dropped = false;
  for (Pass* p : passes_) dropped = p->roll(now) || dropped;
  return dropped;
}

bool InviteeScheduler::deferred(const Pass& cumulative) const {
  auto done = completed_.find(&cumulative);
  if (done == completed_.end()) return false;
  for (const auto& [pass, since] : waiting_)
    if (pass->is_window() && since <= done->second) return true;
  return false;
}

Pass* InviteeScheduler::pick(const Now& now, const std::set<const Pass*>& excluded) {
  Pass* best = nullptr;
  Priority best_priority{};
  size_t best_index = 0;
  for (size_t k = 0; k < passes_.size(); ++k) {
    const size_t i = (rotation_ + k) % passes_.size();
    Pass* p = passes_[i];
    if (excluded.contains(p)) continue;
    const auto want = p->wants(now);
    if (!want) {
      waiting_.erase(p);  // e.g. a window whose period rolled over before it was served
      continue;
    }
    waiting_.try_emplace(p, now.steady);
    if (want->starts_pass && want->priority == Priority::cumulative && deferred(*p)) continue;
    if (!best || want->priority < best_priority) {
      best = p;
      best_priority = want->priority;
      best_index = i;
    }
  }
  if (best) rotation_ = best_index + 1;
  return best;
}

InviteeScheduler::Outcome InviteeScheduler::run(api::Client& client, Clock& clock,
                                                const std::function<TimePoint()>& send_deadline, const Hooks& hooks) {
  Outcome o;
  // Failed in this run (they retry on the next scrape), or completed in it: a
  // pass with a zero interval must not keep a refresh going forever.
  std::set<const Pass*> excluded;
  for (;;) {
    const Now now{clock.now(), clock.wall_now()};
    o.rolled = roll(now) || o.rolled;
    Pass* p = pick(now, excluded);
    if (!p) break;
    const api::InviteeQuery query = p->take(now);
    auto page = client.invitee_assets(query, send_deadline());
    if (!page) {
      const auto& e = page.error();
      if (!e.sent && e.reason == api::FailureReason::timeout) break;  // out of budget: resume next scrape
      o.tried = o.failed = true;
      hooks.failed(e);
      if (!e.sent) break;  // paused after a rate-limit answer: every pass waits
      p->count_request();
      excluded.insert(p);
      continue;
    }
    o.tried = true;
    p->count_request();
    const Now after{clock.now(), clock.wall_now()};
    const bool completed = p->apply(query, page.value(), after);
    if (completed) {
      waiting_.erase(p);
      completed_[p] = after.steady;
      excluded.insert(p);
    }
    hooks.applied(*p, completed, after);
  }
  return o;
}

}  // namespace coinw::collect
