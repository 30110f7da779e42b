#pragma once
// Typed, checked access to a YAML tree that records problems instead of
// throwing, so one pass reports every mistake in the file. Internal to config.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/values.h"

namespace coinw::config::detail {

using std::chrono::milliseconds;

int line_of(const YAML::Node& n);
// Levenshtein distance, for "did you mean" on unknown keys.
size_t edit_distance(std::string_view a, std::string_view b);

// A map whose keys were checked against the schema.
struct Map {
  std::string path;  // "" at the top level
  int line = 0;
  struct Entry {
    std::string key;
    YAML::Node value;
    int line;  // of the key: yaml-cpp places an empty value on the next token's line
  };
  std::vector<Entry> entries;  // first occurrence of each known key

  const YAML::Node* find(std::string_view key) const;
  // The key's line, or the map's when the key is absent.
  int line_of(std::string_view key) const;
  std::string path_of(std::string_view key) const;
};

class Walker {
 public:
  // An empty `env` leaves ${VAR} as written (the web config file, as exporter-toolkit reads it).
  Walker(std::string source, const EnvLookup& env);

  void error(int line, const std::string& path, const std::string& reason);
  void warn(int line, const std::string& path, const std::string& reason);

  // A null node counts as an empty map (a section whose keys are all commented out).
  std::optional<Map> map(const YAML::Node& n, std::string path, std::initializer_list<std::string_view> known);
  std::optional<Map> map(const Map& parent, std::string_view key, std::initializer_list<std::string_view> known);
  // A map whose keys are data (uids, user names), each a non-empty scalar, no duplicates.
  std::optional<Map> any_map(const YAML::Node& n, std::string path);

  // Each returns nullopt, having recorded why, when the key is absent (no
  // problem) or its value unusable. Scalars are ${VAR}-expanded first.
  std::optional<std::string> string(const Map& m, std::string_view key);
  std::optional<bool> boolean(const Map& m, std::string_view key);
  std::optional<int> integer(const Map& m, std::string_view key, int min, int max);
  std::optional<milliseconds> duration(const Map& m, std::string_view key, milliseconds min, milliseconds max);
  std::optional<std::vector<YAML::Node>> list(const Map& m, std::string_view key);
  // One of a fixed set of words, each naming a value of E.
  template <class E>
  std::optional<E> choice(const Map& m, std::string_view key,
                          std::initializer_list<std::pair<std::string_view, E>> options) {
    auto s = string(m, key);
    if (!s) return std::nullopt;
    std::vector<std::string_view> words;
    for (const auto& [word, value] : options) {
      if (*s == word) return value;
      words.push_back(word);
    }
    error(m.line_of(key), m.path_of(key), "must be " + one_of(words) + ", got '" + *s + "'");
    return std::nullopt;
  }
  // The expanded text of a scalar node.
  std::optional<std::string> scalar(const YAML::Node& n, int line, const std::string& path, const char* expected);

  // Sorted by line, so they read top to bottom like the file.
  std::vector<std::string> take_problems() { return take(problems_); }
  std::vector<std::string> take_warnings() { return take(warnings_); }

 private:
  using Messages = std::vector<std::pair<int, std::string>>;
  void add(Messages& to, int line, const std::string& path, const std::string& reason);
  static std::vector<std::string> take(Messages& m);
  // "a, b or c"
  static std::string one_of(const std::vector<std::string_view>& words);
  // `known` null: any key.
  std::optional<Map> checked_map(const YAML::Node& n, std::string path,
                                 const std::initializer_list<std::string_view>* known);

  std::string source_;
  const EnvLookup& env_;
  Messages problems_, warnings_;
};

}  // namespace coinw::config::detail
