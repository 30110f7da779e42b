#include "sim/rate_window.h"

namespace coinw::sim {

SlidingWindow::SlidingWindow(int limit, Duration window) : limit_(limit), window_(window) {}

void SlidingWindow::prune(TimePoint t) {
  while (!arrivals_.empty() && arrivals_.front() < t - window_) arrivals_.pop_front();
}

size_t SlidingWindow::count(TimePoint t) {
  prune(t);
  return arrivals_.size();
}

bool SlidingWindow::arrive(TimePoint t) {
  if (limit_ <= 0) return true;
  bool allowed = count(t) < static_cast<size_t>(limit_);
  arrivals_.push_back(t);
  return allowed;
}

bool KeyedWindows::arrive(const std::string& key, TimePoint t) {
  auto it = windows_.try_emplace(key, limit_).first;
  return it->second.arrive(t);
}

}  // namespace coinw::sim
