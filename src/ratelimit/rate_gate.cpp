#include "ratelimit/rate_gate.h"

#include <algorithm>

namespace coinw::ratelimit {

Permit::Permit(RateGate* gate, std::vector<std::pair<WindowLimiter*, uint64_t>> ids)
    : gate_(gate), ids_(std::move(ids)) {}

Permit::Permit(Permit&& other) noexcept : gate_(other.gate_), ids_(std::move(other.ids_)) { other.gate_ = nullptr; }

Permit::~Permit() { finish(); }

void Permit::finish() {
  if (!gate_) return;
  gate_->finish(ids_);
  gate_ = nullptr;
}

RateGate::RateGate(Clock& clock) : clock_(clock) {}

WindowLimiter* RateGate::limiter(const std::string& key, const LimitSpec& spec) {
  std::lock_guard lock(mu_);
  auto& slot = limiters_[key];
  if (!slot)
    slot = std::make_unique<WindowLimiter>(spec.max_requests, spec.window, spec.margin);
  else if (!slot->same_limits(spec.max_requests, spec.window, spec.margin))
    slot->reconfigure(spec.max_requests, spec.window, spec.margin);
  return slot.get();
}

Acquired RateGate::acquire(const std::vector<WindowLimiter*>& limiters, TimePoint deadline) {
  const TimePoint start = clock_.now();
  std::unique_lock lock(mu_);
  for (;;) {
    const TimePoint now = clock_.now();
    std::optional<TimePoint> when = now;
    bool paused = false;
    for (auto* l : limiters) {
      auto e = l->earliest(now);
      if (!e) {
        when.reset();
        break;
      }
      paused = paused || l->paused_until(now).has_value();
      when = std::max(*when, *e);
    }
    if (!when) {  // an unanswered request holds a slot: wait for an answer
      const uint64_t seen = answers_;
      if (!clock_.wait_until(answered_, lock, deadline, [&] { return answers_ != seen; }))
        return Acquired{std::nullopt, Refusal::over_budget, clock_.now() - start};
      continue;
    }
    if (*when > deadline) return Acquired{std::nullopt, paused ? Refusal::paused : Refusal::over_budget, now - start};
    if (*when > now) {
      lock.unlock();
      clock_.sleep_until(*when);
      lock.lock();
      continue;  // someone else may have taken the slot meanwhile
    }
    std::vector<std::pair<WindowLimiter*, uint64_t>> ids;
    for (auto* l : limiters) ids.emplace_back(l, l->on_send(now));
    return Acquired{Permit(this, std::move(ids)), Refusal::over_budget, now - start};
  }
}

void RateGate::finish(const std::vector<std::pair<WindowLimiter*, uint64_t>>& ids) {
  {
    std::lock_guard lock(mu_);
    const TimePoint now = clock_.now();
    for (auto& [l, id] : ids) l->on_complete(id, now);
    ++answers_;
  }
  answered_.notify_all();
}

void RateGate::pause(WindowLimiter* limiter, TimePoint until) {
  std::lock_guard lock(mu_);
  limiter->pause_until(until);
}

std::optional<TimePoint> RateGate::paused_until(WindowLimiter* limiter) {
  std::lock_guard lock(mu_);
  return limiter->paused_until(clock_.now());
}

}  // namespace coinw::ratelimit
