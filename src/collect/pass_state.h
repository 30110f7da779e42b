#pragma once
// What a complete pass over the invitee list may change. CoinW's list can come
// back short for reasons that are not churn (an empty answer, a paging glitch),
// and rows move between pages while invitees join and leave, so a pass is not
// believed blindly:
// - a pass with fewer than half the rows of the last applied one is held back
//   until another pass, at least min_refresh_interval later, says the same;
// - a cached invitee goes only when two consecutive complete passes lack it.
// The per-quote sums are taken when a pass is applied, so they always describe
// one complete pass, never a half-walked one.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace coinw::collect {

// Sums CoinW amounts (decimals of at most 8 places) exactly, in units of 1e-8:
// adding 100,000 doubles would print float noise (306564.46412158007) where
// CoinW's own figures are exact. Amounts too large for the units (above 9e10)
// are added as doubles.
class AmountSum {
 public:
  void add(double v) {
    if (std::isnan(v)) return;
    if (std::fabs(v) < 9e10) units_ += std::llround(v * 1e8);
    else rest_ += v;
  }
  double value() const { return static_cast<double>(units_) / 1e8 + rest_; }

 private:
  __extension__ using Units = __int128;  // 1e5 amounts of 9e10 are 9e23 units: beyond int64
  Units units_ = 0;
  double rest_ = 0;
};

// The per-quote sums of one applied pass.
struct PassTotals {
  size_t invitees = 0;
  double deposits = 0, withdrawals = 0, balance = 0, depositors = 0;
};

class ShrinkGuard {
 public:
  enum class Verdict {
    apply,    // not a sudden shrink (or nothing to compare with)
    confirm,  // a second short pass, far enough from the first: the shrink is real
    hold,     // a sudden shrink, not applied yet
  };
  // For a pass that ended at `now` with `rows` rows, given the rows of the last
  // applied pass (none yet: always apply).
  Verdict judge(size_t rows, std::optional<size_t> applied_rows, TimePoint now, Duration min_interval);
  void reset() { held_since_.reset(); }
  bool holding() const { return held_since_.has_value(); }

 private:
  std::optional<TimePoint> held_since_;  // end of the first short pass not applied
};

}  // namespace coinw::collect
