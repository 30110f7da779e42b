#pragma once
// One window (startTime/endTime) of one quote. An open window (one that
// contains now) is walked every window_refresh_interval; a closed one once,
// closed_window_grace after its end, so late bookings settle, and then served
// from memory for good (window_stage.h). When the period rolls over (a new
// day, a new month) everything of the old period goes at once: the two never
// mix, and the sums stay absent until the new period's first pass completes.
#include <shared_mutex>
#include <vector>

#include "collect/invitee_book.h"
#include "collect/invitee_pass.h"
#include "collect/paged_rows.h"
#include "collect/window_period.h"
#include "collect/window_stage.h"

namespace coinw::collect {

struct WindowRow {
  uint64_t uid = 0;
  double deposit = kNoAmount, withdrawal = kNoAmount;
  uint32_t pass = 0;  // the pass that last saw it
};

struct WindowTotals {
  double deposits = 0, withdrawals = 0, depositors = 0;
};

class WindowPass final : public InviteePass {
 public:
  WindowPass(config::WindowConfig window, std::string quote, int page_size, int offset_s, Duration refresh_interval,
             Duration grace);

  bool roll(const Now& now) override;
  std::optional<Want> wants(const Now& now) const override;
  Duration interval() const override { return refresh_interval_; }
  // A final window keeps its values, which no longer change.
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const InviteeRender& r) const override;
  // The last complete pass of the current period; a saved pass is taken back
  // when it is of the current period.
  StateSlice snapshot() const override;
  bool restore(const nlohmann::json& file, const RestoreContext& r, bool fresh) override;

  Period period() const;
  bool final() const;  // nothing more to fetch for this period
  std::optional<WindowTotals> totals() const;
  template <class F>
  void for_each(F&& f) const {
    std::shared_lock lock(mu_);
    for (const auto& r : rows_.rows()) f(r);
  }

 protected:
  api::InviteeQuery take(const Now& now) override;
  bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) override;

 private:
  std::string time_text(int64_t t) const;
  void reset();  // holds mu_

  const config::WindowConfig window_;
  const int offset_s_;
  const Duration refresh_interval_, grace_;
  mutable std::shared_mutex mu_;
  std::optional<Period> period_;  // set by the first roll
  PagedRows<WindowRow> rows_;
  WindowStage stage_ = WindowStage::idle;
  std::optional<WindowTotals> totals_;
  TimePoint started_{};
  std::optional<TimePoint> due_from_;  // start of the last complete pass, as the cumulative list's
  std::optional<WallTime> completed_wall_;
};

}  // namespace coinw::collect
