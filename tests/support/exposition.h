#pragma once
// Reads Prometheus text exposition back into {series -> value}, for asserting
// on what the exporter exposes.
#include <map>
#include <sstream>
#include <string>

namespace coinw::testing {

using Series = std::map<std::string, double>;

inline Series parse_exposition(const std::string& text) {
  Series out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

inline size_t count_prefix(const Series& s, const std::string& prefix) {
  size_t n = 0;
  for (auto it = s.lower_bound(prefix); it != s.end() && it->first.rfind(prefix, 0) == 0; ++it) ++n;
  return n;
}

}  // namespace coinw::testing
