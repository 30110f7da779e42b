// Inputs the fuzzers in tests/fuzz found, kept so the fixes stay fixed.
#include <gtest/gtest.h>

#include <string>

#include "collect/labels.h"
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
  EXPECT_EQ(collect::nick_name_label("\xf0\x9f\x9a\x80rocket", config::NickNamePolicy::masked),
            "\xf0\x9f\x9a\x80***");
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

}  // namespace
}  // namespace coinw
