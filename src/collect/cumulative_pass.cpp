#include "collect/cumulative_pass.h"

#include "log/log.h"

namespace coinw::collect {
namespace {

void log_pass_end(const std::string& account, const std::string& quote, const PassEnd& end, Duration took) {
  const std::string pages = std::to_string(end.pages), rows = std::to_string(end.rows),
                    seconds = std::to_string(std::chrono::duration<double>(took).count());
  if (end.verdict == ShrinkGuard::Verdict::hold) {
    log::warn("invitee pass not applied: under half the rows of the last one; waiting for a second pass",
              {{"account", account}, {"quote", quote}, {"pages", pages}, {"rows", rows}, {"seconds", seconds}});
    return;
  }
  log::info("invitee pass complete", {{"account", account},
                                      {"quote", quote},
                                      {"pages", pages},
                                      {"rows", rows},
                                      {"seconds", seconds},
                                      {"removed", std::to_string(end.removed)}});
}

}  // namespace

CumulativePass::CumulativePass(std::string account, InviteeBook& book, Duration min_interval)
    : Pass("cumulative", book.quote()), account_(std::move(account)), book_(book), min_interval_(min_interval) {}

std::optional<Want> CumulativePass::wants(const Now& now) const {
  if (book_.pass_in_progress()) return Want{Priority::cumulative, false};
  std::lock_guard lock(mu_);
  if (completed_ && now.steady - *completed_ < min_interval_) return std::nullopt;
  return Want{Priority::cumulative, true};
}

api::InviteeQuery CumulativePass::take(const Now& now) {
  if (!book_.pass_in_progress()) {
    book_.start_pass();
    started_ = now.steady;
    log::info("invitee pass started", {{"account", account_}, {"quote", quote()}});
  }
  return book_.next_query();
}

bool CumulativePass::apply(const api::InviteeQuery&, const api::InviteePage& page, const Now& now) {
  const auto end = book_.apply(page, now.steady, min_interval_);
  if (!end) return false;
  log_pass_end(account_, quote(), *end, now.steady - started_);
  std::lock_guard lock(mu_);
  completed_ = now.steady;
  completed_wall_ = now.wall;
  completed_at(now.wall);
  return true;
}

std::optional<WallTime> CumulativePass::completed_wall() const {
  std::lock_guard lock(mu_);
  return completed_wall_;
}

void CumulativePass::restore(TimePoint steady, WallTime wall) {
  std::lock_guard lock(mu_);
  completed_ = steady;
  completed_wall_ = wall;
  completed_at(wall);
}

void CumulativePass::forget() {
  std::lock_guard lock(mu_);
  completed_.reset();
  completed_wall_.reset();
}

}  // namespace coinw::collect
