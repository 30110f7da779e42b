// Inputs the fuzzers in tests/fuzz found, kept so the fixes stay fixed.
#include <gtest/gtest.h>

#include <string>

#include "collect/collector.h"
#include "collect/labels.h"
#include "collect/state_codec.h"
#include "config/config.h"

namespace coinw {
namespace {

// fuzz_label_escaping: the masked form kept a lead byte and every continuation
// byte after it, so a hostile nickname became an unbounded label.
TEST(FuzzRegression, MaskedNickNameStaysBoundedForStrayContinuationBytes) {
  const std::string hostile = "\xc3" + std::string(1 << 20, '\x80');
  const auto label = collect::nick_name_label(hostile, config::NickNamePolicy::masked);
  EXPECT_LE(label.size(), collect::kMaxLabelBytes);
  EXPECT_EQ(label, "\xc3\x80\x80\x80***");
  EXPECT_EQ(collect::nick_name_label("\xf0\x9f\x9a\x80rocket", config::NickNamePolicy::masked), "\xf0\x9f\x9a\x80***");
}

std::optional<std::string> no_env(const std::string&) { return std::nullopt; }

// fuzz_config: a line starting with ',' made yaml-cpp's LoadAll produce empty
// documents until memory ran out; the config must be refused instead.
TEST(FuzzRegression, LeadingCommaIsRefusedNotAnEndlessParse) {
  for (const char* yaml : {",\n", "accounts: []\n, not a key\n", "# comment\n, b\n"})
    EXPECT_THROW(config::parse_config(yaml, "c.yml", no_env), config::ConfigError) << yaml;
}

TEST(FuzzRegression, SecondDocumentStillRefused) {
  try {
    config::parse_config("accounts: []\n---\naccounts: []\n", "c.yml", no_env);
    FAIL() << "accepted two documents";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("c.yml:2: only one YAML document"), std::string::npos) << e.what();
  }
}

// fuzz_state_file: a float where the file has an integer (a window's start of
// 1.7645e+20) was converted to int64_t, which is undefined; it must be refused.
TEST(FuzzRegression, AFloatWhereAnIntegerBelongsIsABadStateFile) {
  const std::string text =
      R"({"account":"main","format":"coinw-exporter-state","version":1,"windows":[{"window":"today","quote":"usdt",)"
      R"("start":1.7645e+20,"end":1,"final":true,"complete_at_ns":1,"totals":{"deposits":0,"withdrawals":0,)"
      R"("depositors":0},"rows":[]}]})";
  std::string error;
  const auto file = collect::decode_state(text, "main", error);
  ASSERT_TRUE(file) << error;
  config::AccountConfig a;
  a.name = "main";
  a.invitee_assets.windows = {{"today", config::WindowKind::today, 0, 0}};
  const collect::RestoreContext r{collect::Now{}, std::chrono::hours(1)};
  auto collectors = collect::make_collectors(a, 0);
  ASSERT_EQ(collectors[0]->name(), "invitee_assets");
  EXPECT_THROW(collectors[0]->restore(*file, r), std::invalid_argument);
  EXPECT_THROW(collect::int_of(nlohmann::json(1e20)), std::invalid_argument);
  EXPECT_THROW(collect::uint_of(nlohmann::json(-1)), std::invalid_argument);
  EXPECT_EQ(collect::int_of(nlohmann::json(-5)), -5);
}

}  // namespace
}  // namespace coinw
