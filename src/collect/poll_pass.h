#pragma once
// A pass of one request that answers whole (the sub-account list, the API
// keys): sent once every interval, its answer handed to the collector.
#include <functional>
#include <mutex>

#include "collect/pass.h"

namespace coinw::collect {

template <class T>
class PollPass final : public Pass {
 public:
  using Request = std::function<api::Result<T>(api::Client&, TimePoint send_deadline)>;
  using Apply = std::function<void(T, const Now&)>;

  PollPass(std::string name, Priority priority, Duration interval, Request request, Apply apply)
      : Pass(std::move(name), ""),
        priority_(priority),
        interval_(interval),
        request_(std::move(request)),
        apply_(std::move(apply)) {}

  std::optional<Want> wants(const Now& now) const override {
    std::lock_guard lock(mu_);
    if (fetched_ && now.steady - *fetched_ < interval_) return std::nullopt;
    return Want{priority_, true};
  }
  Duration interval() const override { return interval_; }
  Step step(api::Client& client, TimePoint send_deadline, Clock& clock) override {
    auto answer = request_(client, send_deadline);
    Step s;
    if (!answer) {
      s.error = answer.error();
      return s;
    }
    s.at = Now{clock.now(), clock.wall_now()};
    s.completed = true;
    fetched(s.at.steady);
    completed_at(s.at.wall);
    apply_(std::move(answer.value()), s.at);
    return s;
  }
  // The state file brought back an answer of `t`: not asked again sooner.
  void restored(TimePoint steady, WallTime wall) {
    fetched(steady);
    completed_at(wall);
  }

 private:
  void fetched(TimePoint t) {
    std::lock_guard lock(mu_);
    fetched_ = t;
  }

  const Priority priority_;
  const Duration interval_;
  const Request request_;
  const Apply apply_;
  mutable std::mutex mu_;
  std::optional<TimePoint> fetched_;
};

}  // namespace coinw::collect
