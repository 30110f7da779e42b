#include "config/values.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

namespace coinw::config {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ms;
};
// Longest suffix first among those sharing a prefix, so "ms" is not read as "m".
constexpr std::array<Unit, 7> kUnits{{{"y", 365LL * 86400000},
                                      {"w", 7LL * 86400000},
                                      {"d", 86400000},
                                      {"h", 3600000},
                                      {"ms", 1},
                                      {"m", 60000},
                                      {"s", 1000}}};
// Order in which units must appear; "ms" comes last although matched before "m".
constexpr int rank(size_t unit_index) { return unit_index == 4 ? 7 : static_cast<int>(unit_index); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool valid_var_name(std::string_view n) {
  if (n.empty() || is_digit(n[0])) return false;
  for (char c : n)
    if (!(is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  if (s == "0") return std::chrono::milliseconds(0);
  if (s.empty()) return std::nullopt;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t total = 0;
  int last_rank = -1;
  size_t i = 0;
  while (i < s.size()) {
    if (!is_digit(s[i])) return std::nullopt;
    int64_t n = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (n > (kMax - (s[i] - '0')) / 10) return std::nullopt;
      n = n * 10 + (s[i] - '0');
    }
    size_t u = 0;
    while (u < kUnits.size() && s.substr(i, kUnits[u].suffix.size()) != kUnits[u].suffix) ++u;
    if (u == kUnits.size() || rank(u) <= last_rank) return std::nullopt;
    last_rank = rank(u);
    i += kUnits[u].suffix.size();
    if (n > (kMax - total) / kUnits[u].ms) return std::nullopt;
    total += n * kUnits[u].ms;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds d) {
  if (d.count() == 0) return "0s";
  // Years and weeks are left out: "14d" reads better than "2w".
  static constexpr std::array<Unit, 5> kOut{{{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}}};
  std::string out;
  int64_t rest = d.count();
  if (rest < 0) {
    out = "-";
    rest = -rest;
  }
  for (const auto& u : kOut) {
    if (rest >= u.ms) {
      out += std::to_string(rest / u.ms);
      out += u.suffix;
      rest %= u.ms;
    }
  }
  return out;
}

std::optional<std::string> expand_env(std::string_view in, const EnvLookup& env, std::string& problem) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '$' || i + 1 == in.size()) {
      out += in[i];
    } else if (in[i + 1] == '$') {
      out += '$';
      ++i;
    } else if (in[i + 1] == '{') {
      size_t close = in.find('}', i + 2);
      if (close == std::string_view::npos) {
        problem = "unterminated ${ (write $$ for a literal $)";
        return std::nullopt;
      }
      std::string_view name = in.substr(i + 2, close - i - 2);
      if (!valid_var_name(name)) {
        problem = "invalid variable reference: names are letters, digits and _ (write $$ for a literal $)";
        return std::nullopt;
      }
      auto value = env(std::string(name));
      if (!value) {
        problem = "environment variable " + std::string(name) + " is not set";
        return std::nullopt;
      }
      out += *value;
      i = close;
    } else {
      out += '$';
    }
  }
  return out;
}

}  // namespace coinw::config
