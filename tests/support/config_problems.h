#pragma once
// What a config test asserts most: the problems parse_config reports for a
// text, every one, in order. A text that is accepted fails the test.
#include <gtest/gtest.h>

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

}  // namespace coinw::testing
