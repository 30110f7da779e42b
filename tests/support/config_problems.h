#pragma once
// What a config test asserts most: the problems parse_config reports for a
// text, every one, in order (a text that is accepted fails the test); and the
// environment it expands ${VAR} from.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "config/config.h"

namespace coinw::testing {

// `parse` loads `yaml` the way the calling test does (its env, its file name).
template <class Parse>
std::vector<std::string> config_problems(const std::string& yaml, Parse&& parse) {
  try {
    parse(yaml);
  } catch (const config::ConfigError& e) {
    return e.problems;
  }
  ADD_FAILURE() << "accepted:\n" << yaml;
  return {};
}

// An environment of exactly these variables.
inline config::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace coinw::testing
