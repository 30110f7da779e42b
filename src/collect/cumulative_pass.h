#pragma once
// The cumulative invitee list of one quote, walked page by page every
// min_refresh_interval; the rows live in an InviteeBook.
#include <mutex>

#include "collect/invitee_book.h"
#include "collect/pass.h"

namespace coinw::collect {

class CumulativePass final : public Pass {
 public:
  CumulativePass(std::string account, InviteeBook& book, Duration min_interval);

  std::optional<Want> wants(const Now& now) const override;
  api::InviteeQuery take(const Now& now) override;
  bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) override;

  InviteeBook& book() const { return book_; }
  std::optional<WallTime> completed_wall() const;
  // From the state file: a pass that completed at `wall`, `steady` on this run's clock.
  void restore(TimePoint steady, WallTime wall);
  // Stale data was dropped: the next scrape starts a pass at once.
  void forget();

 private:
  const std::string account_;
  InviteeBook& book_;
  const Duration min_interval_;
  TimePoint started_{};
  mutable std::mutex mu_;  // completion times are read by scrapes and the state writer
  std::optional<TimePoint> completed_;
  std::optional<WallTime> completed_wall_;
};

}  // namespace coinw::collect
