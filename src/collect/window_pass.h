#pragma once
// One window (startTime/endTime) of one quote. An open window (one that
// contains now) is walked every window_refresh_interval; a closed one once,
// closed_window_grace after its end, so late bookings settle, and then served
// from memory for good. When the period rolls over (a new day, a new month)
// everything of the old period goes at once: the two never mix, and the sums
// stay absent until the new period's first pass completes.
#include <shared_mutex>
#include <vector>

#include "api/pager.h"
#include "collect/invitee_book.h"
#include "collect/pass.h"
#include "collect/window_period.h"

namespace coinw::collect {

struct WindowRow {
  uint64_t uid = 0;
  double deposit = kNoAmount, withdrawal = kNoAmount;
  uint32_t pass = 0;  // the pass that last saw it
};

struct WindowTotals {
  double deposits = 0, withdrawals = 0, depositors = 0;
};

// A window's last complete pass, as the state file keeps it.
struct WindowState {
  std::string window, quote;
  Period period;
  bool final = false;  // closed, and fetched after its grace
  WallTime complete;
  std::vector<WindowRow> rows;
  WindowTotals totals;
};

class WindowPass final : public Pass {
 public:
  WindowPass(config::WindowConfig window, std::string quote, int page_size, int offset_s, Duration refresh_interval,
             Duration grace);

  bool is_window() const override { return true; }
  bool roll(const Now& now) override;
  std::optional<Want> wants(const Now& now) const override;
  api::InviteeQuery take(const Now& now) override;
  bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) override;

  const config::WindowConfig& window() const { return window_; }
  Period period() const;
  bool final() const;  // nothing more to fetch for this period
  std::optional<WindowTotals> totals() const;
  template <class F>
  void for_each(F&& f) const {
    std::shared_lock lock(mu_);
    for (const auto& r : rows_) f(r);
  }
  // Stale data dropped; a final window keeps its values, which no longer change.
  bool clear_unless_final();
  std::optional<WindowState> state() const;  // after a complete pass of the current period
  // Takes a saved pass when it is of the current period; `steady` is its
  // completion on this run's clock.
  bool restore(const WindowState& s, TimePoint steady);

 private:
  std::string time_text(int64_t t) const;
  void reset();  // holds mu_

  const config::WindowConfig window_;
  const int offset_s_;
  const Duration refresh_interval_, grace_;
  mutable std::shared_mutex mu_;
  Period period_;
  bool rolled_ = false;  // period_ set once
  std::vector<WindowRow> rows_;  // by uid
  api::InviteePager pager_;
  bool in_pass_ = false, pass_final_ = false, final_ = false;
  bool empty_once_ = false;  // a final pass came back empty: one more must confirm it
  uint32_t pass_ = 0;
  std::optional<WindowTotals> totals_;
  std::optional<TimePoint> completed_;
  std::optional<WallTime> completed_wall_;
};

}  // namespace coinw::collect
