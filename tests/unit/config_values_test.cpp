#include "config/values.h"

#include <gtest/gtest.h>

#include <map>

#include "config/walker.h"

namespace coinw::config {
namespace {

using std::chrono::milliseconds;

TEST(ConfigDuration, AcceptsPrometheusStyle) {
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"0", 0},          {"0s", 0},           {"500ms", 500},        {"30s", 30000},
      {"5m", 300000},    {"1h", 3600000},     {"1h30m", 5400000},    {"2d", 172800000},
      {"1w", 604800000}, {"1y", 31536000000}, {"1m30s250ms", 90250}, {"1d2h3m4s5ms", 93784005},
      {"0ms", 0},        {"90s", 90000},      {"007s", 7000}};
  for (const auto& [text, ms] : cases) {
    auto d = parse_duration(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(d->count(), ms) << text;
  }
}

TEST(ConfigDuration, RejectsAnythingElse) {
  for (const char* text : {"",
                           "s",
                           "10",
                           "1.5s",
                           "-1s",
                           "+1s",
                           "1 s",
                           " 1s",
                           "1s ",
                           "1S",
                           "1sec",
                           "1m1h",
                           "1s1s",
                           "1ms1s",
                           "1h 30m",
                           "ms",
                           "1x",
                           "99999999999999999999s",
                           "1000000000000y",
                           "1s0"}) {
    EXPECT_FALSE(parse_duration(text).has_value()) << text;
  }
}

TEST(ConfigDuration, FormatReadsBack) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, "0s"},         {500, "500ms"},      {30000, "30s"},       {5400000, "1h30m"},
      {172800000, "2d"}, {1209600000, "14d"}, {90250, "1m30s250ms"}};
  for (const auto& [ms, text] : cases) {
    EXPECT_EQ(format_duration(milliseconds(ms)), text);
    EXPECT_EQ(parse_duration(text), milliseconds(ms)) << text;
  }
}

class ConfigExpandEnv : public ::testing::Test {
 protected:
  std::map<std::string, std::string> vars{{"HOST", "api.example"}, {"EMPTY", ""}, {"DOLLAR", "a$b${HOST}"}};
  EnvLookup env = [this](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  std::string problem;
};

TEST_F(ConfigExpandEnv, Substitutes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain", "plain"},
      {"${HOST}", "api.example"},
      {"https://${HOST}:443", "https://api.example:443"},
      {"${HOST}${HOST}", "api.exampleapi.example"},
      {"x${EMPTY}y", "xy"},
      {"$$", "$"},
      {"$${HOST}", "${HOST}"},
      {"a$$${HOST}", "a$api.example"},
      {"a$$$${HOST}", "a$${HOST}"},
      {"pa$word", "pa$word"},
      {"trailing$", "trailing$"},
      {"${DOLLAR}", "a$b${HOST}"},  // values are not expanded again
      {"", ""}};
  for (const auto& [in, out] : cases) {
    auto got = expand_env(in, env, problem);
    ASSERT_TRUE(got.has_value()) << in << ": " << problem;
    EXPECT_EQ(*got, out) << in;
  }
}

TEST_F(ConfigExpandEnv, UnsetVariableNamedNotValue) {
  EXPECT_FALSE(expand_env("k-${NOPE}-tail", env, problem).has_value());
  EXPECT_EQ(problem, "environment variable NOPE is not set");
}

TEST_F(ConfigExpandEnv, MalformedReferencesDoNotEchoInput) {
  for (const char* in : {"secretABC${HOST", "secretABC${}", "secretABC${A B}", "secretABC${1X}", "secretABC${A-B}"}) {
    problem.clear();
    EXPECT_FALSE(expand_env(in, env, problem).has_value()) << in;
    EXPECT_FALSE(problem.empty()) << in;
    EXPECT_EQ(problem.find("secretABC"), std::string::npos) << problem;
  }
}

TEST(ConfigEditDistance, Basics) {
  EXPECT_EQ(detail::edit_distance("", ""), 0u);
  EXPECT_EQ(detail::edit_distance("page_size", "page_size"), 0u);
  EXPECT_EQ(detail::edit_distance("pagesize", "page_size"), 1u);
  EXPECT_EQ(detail::edit_distance("qoutes", "quotes"), 2u);
  EXPECT_EQ(detail::edit_distance("abc", ""), 3u);
  EXPECT_EQ(detail::edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace coinw::config
