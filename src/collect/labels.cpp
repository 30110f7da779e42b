#include "collect/labels.h"

namespace coinw::collect {
namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The first UTF-8 character of s. At most 4 bytes, the longest sequence: a
// lead byte followed by a run of stray continuation bytes is not one character.
std::string_view first_char(std::string_view s) {
  size_t n = s.empty() ? 0 : 1;
  while (n < s.size() && n < 4 && continuation(static_cast<unsigned char>(s[n]))) ++n;
  return s.substr(0, n);
}

}  // namespace

std::string bounded(std::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  size_t n = max_bytes;
  while (n > 0 && continuation(static_cast<unsigned char>(value[n]))) --n;
  return std::string(value.substr(0, n));
}

std::string nick_name_label(std::string_view nick, config::NickNamePolicy policy) {
  switch (policy) {
    case config::NickNamePolicy::none: return "";
    case config::NickNamePolicy::full: return bounded(nick);
    case config::NickNamePolicy::masked: break;
  }
  if (nick.empty()) return "";
  std::string out(first_char(nick));
  out += "***";
  auto at = nick.rfind('@');
  auto dot = nick.rfind('.');
  if (at != std::string_view::npos && dot != std::string_view::npos && dot > at) {
    out += "@***";
    out += bounded(nick.substr(dot), 16);
  }
  return out;
}

}  // namespace coinw::collect
