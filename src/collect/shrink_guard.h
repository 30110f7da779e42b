#pragma once
// What a complete pass over a paged list may remove. CoinW's list can come back
// short for reasons that are not churn (an empty answer, a paging glitch), so a
// pass with fewer than half the rows of the last applied one is held back until
// another pass, at least min_refresh_interval later, says the same.
#include <cstddef>
#include <optional>

#include "common/clock.h"

namespace coinw::collect {

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

 private:
  std::optional<TimePoint> held_since_;  // end of the first short pass not applied
};

}  // namespace coinw::collect
