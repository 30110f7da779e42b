#pragma once
// Label sets that differ only in their last value, rendered without rendering
// the rest again: 100,000 invitees share `{account="a",quote="usdt",uid="` and
// differ in the digits after it.
#include <cstdint>
#include <string>
#include <string_view>

#include "exposition/family_set.h"

namespace coinw::exposition {

class LastLabel {
 public:
  // `fixed` plus a last label `name`, whose value each call of with() sets.
  LastLabel(const Labels& fixed, std::string_view name);
  // The rendered label set (as render_labels would) with `value` last; valid
  // until the next call.
  std::string_view with(std::string_view value);
  std::string_view with(uint64_t value);

 private:
  std::string_view close();
  std::string text_;
  size_t prefix_;  // text_ up to the opening quote of the last value
};

}  // namespace coinw::exposition
