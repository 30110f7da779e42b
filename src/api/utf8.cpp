#include "api/utf8.h"

#include <optional>

namespace coinw::api {
namespace {

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";
constexpr std::string_view kReplacementEscape = "\\ufffd";

// Length of the valid UTF-8 sequence at `s[i]`, or 0 with `bad` set to the
// length of its maximal invalid subpart (at least 1).
size_t utf8_sequence(std::string_view s, size_t i, size_t& bad) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    bad = 1;
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    if (i + k >= s.size() || b(i + k) < min || b(i + k) > max) {
      bad = k;
      return 0;
    }
  }
  return len;
}

std::optional<unsigned> hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return std::nullopt;
  unsigned v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    const char c = s[k];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = static_cast<unsigned>(c - 'A' + 10);
    else
      return std::nullopt;
    v = v * 16 + d;
  }
  return v;
}

bool high_surrogate(unsigned u) { return u >= 0xD800 && u <= 0xDBFF; }
bool low_surrogate(unsigned u) { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

TextRepair repair_json_text(std::string_view s) {
  TextRepair out;
  size_t copied = 0;  // s[copied, i) is still to be copied to out.text
  auto replace = [&](size_t at, size_t len, std::string_view with) {
    out.text.append(s.substr(copied, at - copied));
    out.text.append(with);
    copied = at + len;
    ++out.repairs;
  };
  bool in_string = false;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t bad = 0;
      const size_t len = utf8_sequence(s, i, bad);
      if (len == 0) replace(i, bad, kReplacementUtf8);
      i += len ? len : bad;
    } else if (c == '"') {
      in_string = !in_string;
      ++i;
    } else if (c == '\\' && in_string && i + 1 < s.size()) {
      if (s[i + 1] != 'u') {
        i += 2;  // a short escape, including \" and \\, which must not end the string
        continue;
      }
      const auto unit = hex4(s, i + 2);
      if (unit && high_surrogate(*unit)) {
        const auto next = i + 12 <= s.size() && s[i + 6] == '\\' && s[i + 7] == 'u' ? hex4(s, i + 8) : std::nullopt;
        const bool paired = next && low_surrogate(*next);
        if (paired) {
          i += 12;
          continue;
        }
        replace(i, 6, kReplacementEscape);
      } else if (unit && low_surrogate(*unit)) {
        replace(i, 6, kReplacementEscape);
      }
      i += unit ? 6 : 2;
    } else {
      ++i;
    }
  }
  if (out.repairs) out.text.append(s.substr(copied));
  return out;
}

}  // namespace coinw::api
