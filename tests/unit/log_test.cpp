#include "log/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace coinw::log {
namespace {

TEST(Log, LogfmtQuotesAndEscapesHostileValues) {
  EXPECT_EQ(format_line(Format::logfmt, Level::warn, "T", "collector failed",
                        {{"account", "main"}, {"err", "say \"hi\"\nnext=1"}, {"empty", ""}}),
            R"(ts=T level=warn msg="collector failed" account=main err="say \"hi\"\nnext=1" empty="")");
}

TEST(Log, JsonIsValidEvenForInvalidUtf8) {
  auto line = format_line(Format::json, Level::info, "T", "m", {{"k", std::string("bad \xff byte")}});
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"], "m");
  EXPECT_TRUE(j.contains("k"));
}

TEST(Log, LevelsFilter) {
  static std::vector<std::string> lines;
  set_sink([](const std::string& l) { lines.push_back(l); });
  configure(Level::warn, Format::logfmt);
  info("hidden");
  warn("shown");
  set_sink(nullptr);
  configure(Level::info, Format::logfmt);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("msg=shown"), std::string::npos);
  EXPECT_THROW(parse_level("verbose"), std::invalid_argument);
}

}  // namespace
}  // namespace coinw::log
