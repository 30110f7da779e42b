#include "ratelimit/window_limiter.h"

#include <algorithm>
#include <stdexcept>

namespace coinw::ratelimit {

WindowLimiter::WindowLimiter(int max_requests, Duration window, Duration margin)
    : max_(max_requests), window_(window), margin_(margin) {
  if (max_requests < 1) throw std::invalid_argument("a rate limit needs at least 1 request");
}

void WindowLimiter::reconfigure(int max_requests, Duration window, Duration margin) {
  if (max_requests < 1) throw std::invalid_argument("a rate limit needs at least 1 request");
  max_ = max_requests;
  window_ = window;
  margin_ = margin;
}

std::optional<TimePoint> WindowLimiter::earliest(TimePoint now) const {
  // Requests up to j-N must have been answered before request j is sent.
  std::optional<TimePoint> latest_answer = horizon_;
  const auto over = static_cast<std::ptrdiff_t>(recent_.size()) - max_;
  for (std::ptrdiff_t i = 0; i <= over; ++i) {
    const auto& e = recent_[static_cast<size_t>(i)];
    if (!e.done) return std::nullopt;
    latest_answer = latest_answer ? std::max(*latest_answer, *e.done) : *e.done;
  }
  TimePoint t = now;
  if (latest_answer) t = std::max(t, *latest_answer + window_ + margin_);
  if (pause_) t = std::max(t, *pause_);
  return t;
}

uint64_t WindowLimiter::on_send(TimePoint) {
  while (static_cast<int>(recent_.size()) >= max_) {
    const auto& oldest = recent_.front();
    if (!oldest.done) throw std::logic_error("send while an older request is unanswered");
    horizon_ = horizon_ ? std::max(*horizon_, *oldest.done) : *oldest.done;
    recent_.pop_front();
  }
  recent_.push_back({next_id_, std::nullopt});
  return next_id_++;
}

void WindowLimiter::on_complete(uint64_t id, TimePoint now) {
  for (auto& e : recent_) {
    if (e.id == id) {
      e.done = now;
      return;
    }
  }
}

void WindowLimiter::pause_until(TimePoint until) { pause_ = pause_ ? std::max(*pause_, until) : until; }

std::optional<TimePoint> WindowLimiter::paused_until(TimePoint now) const {
  if (pause_ && *pause_ > now) return pause_;
  return std::nullopt;
}

}  // namespace coinw::ratelimit
