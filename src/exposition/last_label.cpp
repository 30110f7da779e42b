#include "exposition/last_label.h"

#include <charconv>

namespace coinw::exposition {

// render_labels ends an empty last value with `""}`: the prefix is all but `"}`.
LastLabel::LastLabel(const Labels& fixed, std::string_view name)
    : text_(render_labels(exposition::with(fixed, std::string(name), ""))), prefix_(text_.size() - 2) {}

std::string_view LastLabel::with(std::string_view value) {
  text_.resize(prefix_);
  append_escaped(text_, value);
  return close();
}

// Digits need no escaping; this is the per-invitee path.
std::string_view LastLabel::with(uint64_t value) {
  text_.resize(prefix_);
  char digits[24];
  text_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  return close();
}

std::string_view LastLabel::close() {
  text_ += "\"}";
  return text_;
}

}  // namespace coinw::exposition
