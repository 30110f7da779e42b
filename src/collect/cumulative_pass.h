#pragma once
// The cumulative invitee list of one quote, walked page by page every
// min_refresh_interval into the InviteeBook it owns, and rendered from it:
// the per-uid values and the quote's sums.
#include <mutex>

#include "collect/invitee_book.h"
#include "collect/invitee_pass.h"

namespace coinw::collect {

class CumulativePass final : public InviteePass {
 public:
  CumulativePass(std::string account, std::string quote, int page_size, Duration min_interval);

  std::optional<Want> wants(const Now& now) const override;
  Duration interval() const override { return min_interval_; }
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const InviteeRender& r) const override;
  StateSlice snapshot() const override;
  bool restore(const nlohmann::json& file, const RestoreContext& r, bool fresh) override;

  InviteeBook& book() { return book_; }
  const InviteeBook& book() const { return book_; }
  std::optional<WallTime> completed_wall() const;

 protected:
  api::InviteeQuery take(const Now& now) override;
  bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) override;

 private:
  const std::string account_;
  InviteeBook book_;
  const Duration min_interval_;
  TimePoint started_{};
  mutable std::mutex mu_;  // completion times are read by scrapes and the state writer
  // When the last complete pass started: its oldest row is that old, so the
  // next pass is due min_interval after it (back to back when a walk takes longer).
  std::optional<TimePoint> due_from_;
  std::optional<WallTime> completed_wall_;
};

}  // namespace coinw::collect
