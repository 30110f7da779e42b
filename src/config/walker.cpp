#include "config/walker.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <limits>

namespace coinw::config::detail {
namespace {

std::string kind_of(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  return "a scalar";
}

}  // namespace

// yaml-cpp marks a node without position (an empty document) with line -1.
int line_of(const YAML::Node& n) { return std::max(1, n.Mark().line + 1); }

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

const YAML::Node* Map::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

int Map::line_of(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return e.line;
  return line;
}

std::string Map::path_of(std::string_view key) const {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Walker::Walker(std::string source, const EnvLookup& env) : source_(std::move(source)), env_(env) {}

void Walker::add(Messages& to, int line, const std::string& path, const std::string& reason) {
  std::string text = source_ + ":" + std::to_string(line) + ": ";
  if (!path.empty()) text += path + ": ";
  to.emplace_back(line, text + reason);
}

std::vector<std::string> Walker::take(Messages& m) {
  std::stable_sort(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [line, text] : m) out.push_back(std::move(text));
  m.clear();
  return out;
}

void Walker::error(int line, const std::string& path, const std::string& reason) { add(problems_, line, path, reason); }

void Walker::warn(int line, const std::string& path, const std::string& reason) { add(warnings_, line, path, reason); }

std::optional<Map> Walker::map(const YAML::Node& n, std::string path, std::initializer_list<std::string_view> known) {
  return checked_map(n, std::move(path), &known);
}

std::optional<Map> Walker::any_map(const YAML::Node& n, std::string path) {
  return checked_map(n, std::move(path), nullptr);
}

std::optional<Map> Walker::checked_map(const YAML::Node& n, std::string path,
                                       const std::initializer_list<std::string_view>* known_keys) {
  Map out{std::move(path), line_of(n), {}};
  if (n.IsNull()) return out;
  if (!n.IsMap()) {
    error(out.line, out.path, "must be a map, got " + kind_of(n));
    return std::nullopt;
  }
  std::vector<std::pair<std::string, int>> seen;  // every key with its line, for duplicates
  for (const auto& kv : n) {
    int line = line_of(kv.first);
    if (!kv.first.IsScalar()) {
      error(line, out.path, "keys must be plain words, got " + kind_of(kv.first));
      continue;
    }
    const std::string& key = kv.first.Scalar();
    auto earlier = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == key; });
    if (earlier != seen.end()) {
      error(line, out.path_of(key), "duplicate key (first at line " + std::to_string(earlier->second) + ")");
      continue;
    }
    seen.emplace_back(key, line);
    if (!known_keys) {
      if (key.empty())
        error(line, out.path, "empty key");
      else
        out.entries.push_back({key, kv.second, line});
      continue;
    }
    const auto& known = *known_keys;
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string reason = "unknown key";
      auto best = std::min_element(known.begin(), known.end(), [&](std::string_view a, std::string_view b) {
        return edit_distance(key, a) < edit_distance(key, b);
      });
      if (best != known.end() && edit_distance(key, *best) <= 2)
        reason += " (did you mean " + std::string(*best) + "?)";
      error(line, out.path_of(key), reason);
      continue;
    }
    out.entries.push_back({key, kv.second, line});
  }
  return out;
}

std::optional<Map> Walker::map(const Map& parent, std::string_view key, std::initializer_list<std::string_view> known) {
  const YAML::Node* n = parent.find(key);
  if (!n) return Map{parent.path_of(key), parent.line, {}};
  return map(*n, parent.path_of(key), known);
}

std::optional<std::string> Walker::scalar(const YAML::Node& n, int line, const std::string& path,
                                          const char* expected) {
  if (n.IsNull()) {
    error(line, path, std::string("has no value, expected ") + expected);
    return std::nullopt;
  }
  if (!n.IsScalar()) {
    error(line, path, std::string("must be ") + expected + ", got " + kind_of(n));
    return std::nullopt;
  }
  if (!env_) return n.Scalar();
  std::string problem;
  auto expanded = expand_env(n.Scalar(), env_, problem);
  if (!expanded) error(line, path, problem);
  return expanded;
}

std::optional<std::string> Walker::string(const Map& m, std::string_view key) {
  const YAML::Node* n = m.find(key);
  if (!n) return std::nullopt;
  return scalar(*n, m.line_of(key), m.path_of(key), "a string");
}

std::optional<bool> Walker::boolean(const Map& m, std::string_view key) {
  const YAML::Node* n = m.find(key);
  if (!n) return std::nullopt;
  auto s = scalar(*n, m.line_of(key), m.path_of(key), "true or false");
  if (!s) return std::nullopt;
  if (*s == "true") return true;
  if (*s == "false") return false;
  error(m.line_of(key), m.path_of(key), "must be true or false, got '" + *s + "'");
  return std::nullopt;
}

std::optional<int> Walker::integer(const Map& m, std::string_view key, int min, int max) {
  const YAML::Node* n = m.find(key);
  if (!n) return std::nullopt;
  std::string path = m.path_of(key);
  auto s = scalar(*n, m.line_of(key), path, "a whole number");
  if (!s) return std::nullopt;
  long long v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  const bool out_of_range = ec == std::errc::result_out_of_range;
  if ((ec != std::errc() && !out_of_range) || end != s->data() + s->size()) {
    error(m.line_of(key), path, "must be a whole number, got '" + *s + "'");
    return std::nullopt;
  }
  if (out_of_range) v = s->starts_with('-') ? LLONG_MIN : LLONG_MAX;
  if (v < min || v > max) {
    std::string range = max == std::numeric_limits<int>::max()
                            ? "at least " + std::to_string(min)
                            : "between " + std::to_string(min) + " and " + std::to_string(max);
    error(m.line_of(key), path, "must be " + range + ", got " + *s);
    return std::nullopt;
  }
  return static_cast<int>(v);
}

std::optional<milliseconds> Walker::duration(const Map& m, std::string_view key, milliseconds min, milliseconds max) {
  const YAML::Node* n = m.find(key);
  if (!n) return std::nullopt;
  std::string path = m.path_of(key);
  auto s = scalar(*n, m.line_of(key), path, "a duration");
  if (!s) return std::nullopt;
  auto d = parse_duration(*s);
  if (!d) {
    error(m.line_of(key), path, "must be a duration like 500ms, 30s or 1h30m, got '" + *s + "'");
    return std::nullopt;
  }
  if (*d < min || *d > max) {
    std::string range = max == milliseconds::max() ? "at least " + format_duration(min)
                                                   : "between " + format_duration(min) + " and " + format_duration(max);
    error(m.line_of(key), path, "must be " + range + ", got " + format_duration(*d));
    return std::nullopt;
  }
  return d;
}

std::string Walker::one_of(const std::vector<std::string_view>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::optional<std::vector<YAML::Node>> Walker::list(const Map& m, std::string_view key) {
  const YAML::Node* n = m.find(key);
  if (!n) return std::nullopt;
  if (!n->IsSequence()) {
    error(m.line_of(key), m.path_of(key),
          "must be a list, got " + (n->IsNull() ? std::string("nothing") : kind_of(*n)));
    return std::nullopt;
  }
  return std::vector<YAML::Node>(n->begin(), n->end());
}

}  // namespace coinw::config::detail
