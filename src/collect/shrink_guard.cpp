#include "collect/shrink_guard.h"

namespace coinw::collect {

ShrinkGuard::Verdict ShrinkGuard::judge(size_t rows, std::optional<size_t> applied_rows, TimePoint now,
                                        Duration min_interval) {
  if (!applied_rows || rows * 2 >= *applied_rows) {
    held_since_.reset();
    return Verdict::apply;
  }
  if (held_since_ && now - *held_since_ >= min_interval) {
    held_since_.reset();
    return Verdict::confirm;
  }
  if (!held_since_) held_since_ = now;
  return Verdict::hold;
}

}  // namespace coinw::collect
