#include "exposition/last_label.h"

#include <charconv>

namespace coinw::exposition {

LastLabel::LastLabel(const Labels& fixed, std::string_view name) {
  text_ = render_labels(fixed);
  if (text_.empty()) text_ = "{";
  else text_.back() = ',';  // the closing brace
  text_ += name;
  text_ += "=\"";
  prefix_ = text_.size();
}

std::string_view LastLabel::with(std::string_view value) {
  text_.resize(prefix_);
  append_escaped(text_, value);
  text_ += "\"}";
  return text_;
}

std::string_view LastLabel::with(uint64_t value) {
  char digits[24];
  return with(std::string_view(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, value).ptr - digits)));
}

}  // namespace coinw::exposition
