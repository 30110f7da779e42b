#pragma once
// A strict reader of the Prometheus text format 0.0.4 for hardening tests: it
// reports every line that a scraper could misread (bad names, unescaped or
// unknown escapes in label values, unparsable values, samples without a TYPE,
// duplicate series), and runs `promtool check metrics` on the same text.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace coinw::testing {

struct ParsedSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // values unescaped
  double value = 0;
};

struct ExpositionCheck {
  std::vector<std::string> errors;
  std::vector<ParsedSample> samples;
  bool ok() const { return errors.empty(); }
  std::string report() const {
    std::string out;
    for (const auto& e : errors) out += e + "\n";
    return out;
  }
};

inline bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t more = 0;
    if (c < 0x80)
      more = 0;
    else if ((c >> 5) == 0x6)
      more = 1;
    else if ((c >> 4) == 0xE)
      more = 2;
    else if ((c >> 3) == 0x1E)
      more = 3;
    else
      return false;
    if (i + more >= s.size() + (more == 0 ? 1 : 0) || (more > 0 && i + more > s.size() - 1)) return false;
    for (size_t k = 1; k <= more; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += more + 1;
  }
  return true;
}

inline ExpositionCheck check_exposition(const std::string& text) {
  ExpositionCheck r;
  std::map<std::string, std::string> types;  // family -> type
  std::set<std::string> series;
  auto name_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
  };
  auto family_of = [&](const std::string& name) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
        auto base = name.substr(0, name.size() - s.size());
        if (types.count(base) && (types[base] == "histogram" || types[base] == "summary")) return base;
      }
    }
    return name;
  };
  if (!text.empty() && text.back() != '\n') r.errors.push_back("text does not end with a newline");
  if (!valid_utf8(text)) r.errors.push_back("text is not valid UTF-8");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string where = "line " + std::to_string(n) + ": ";
    if (line.empty()) {
      r.errors.push_back(where + "empty line");
      continue;
    }
    if (line[0] == '#') {
      std::istringstream c(line);
      std::string hash, kind, name, rest;
      c >> hash >> kind >> name;
      if (kind == "TYPE") {
        c >> rest;
        if (rest != "gauge" && rest != "counter" && rest != "histogram" && rest != "summary" && rest != "untyped")
          r.errors.push_back(where + "unknown type " + rest);
        if (types.count(name)) r.errors.push_back(where + "second TYPE for " + name);
        types[name] = rest;
      } else if (kind != "HELP") {
        r.errors.push_back(where + "comment that is neither HELP nor TYPE");
      }
      continue;
    }
    ParsedSample s;
    size_t i = 0;
    while (i < line.size() && name_char(line[i], i == 0)) ++i;
    s.name = line.substr(0, i);
    if (s.name.empty()) {
      r.errors.push_back(where + "no metric name");
      continue;
    }
    bool bad = false;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (!bad && i < line.size() && line[i] != '}') {
        size_t start = i;
        while (i < line.size() && name_char(line[i], i == start)) ++i;
        std::string label = line.substr(start, i - start);
        if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
          r.errors.push_back(where + "bad label name or missing =\"");
          bad = true;
          break;
        }
        i += 2;
        std::string value;
        bool closed = false;
        while (i < line.size()) {
          char c = line[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i >= line.size()) break;
            char e = line[i++];
            if (e == '\\')
              value += '\\';
            else if (e == '"')
              value += '"';
            else if (e == 'n')
              value += '\n';
            else {
              r.errors.push_back(where + "unknown escape \\" + std::string(1, e));
              bad = true;
            }
          } else {
            value += c;
          }
        }
        if (!closed) {
          r.errors.push_back(where + "unterminated label value");
          bad = true;
          break;
        }
        s.labels.emplace_back(label, value);
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (bad) continue;
      if (i >= line.size() || line[i] != '}') {
        r.errors.push_back(where + "unterminated label set");
        continue;
      }
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') {
      r.errors.push_back(where + "no space before the value");
      continue;
    }
    std::string value_text = line.substr(i + 1);
    if (value_text == "+Inf" || value_text == "-Inf" || value_text == "NaN") {
      r.errors.push_back(where + "non-finite value " + value_text + " (none is expected from this exporter)");
      continue;
    }
    char* end = nullptr;
    s.value = std::strtod(value_text.c_str(), &end);
    if (value_text.empty() || end != value_text.c_str() + value_text.size()) {
      r.errors.push_back(where + "unparsable value '" + value_text + "'");
      continue;
    }
    if (!types.count(family_of(s.name))) r.errors.push_back(where + "sample before its TYPE: " + s.name);
    if (!series.insert(line.substr(0, i)).second) r.errors.push_back(where + "duplicate series " + line.substr(0, i));
    r.samples.push_back(std::move(s));
  }
  return r;
}

// promtool's verdict, "" when it finds nothing (exit status 0 and no output).
inline std::string promtool_problems(const std::string& text) {
  static int n = 0;
  const std::string path = "/tmp/coinw-hardening-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".prom";
  std::ofstream(path) << text;
  const std::string cmd = "promtool check metrics < " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "cannot run promtool";
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) output += buf;
  const int status = pclose(p);
  std::remove(path.c_str());
  if (status != 0 && output.empty()) output = "promtool exit status " + std::to_string(status);
  return status == 0 ? output : "exit " + std::to_string(status) + ": " + output;
}

}  // namespace coinw::testing
