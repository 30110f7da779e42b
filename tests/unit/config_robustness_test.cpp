#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "config/config.h"

namespace coinw::config {
namespace {

const std::string kKey = "AK-77e1c0ffee5a1234";
const std::string kSecret = "SK-0ddba11c0de95678";
const std::string kEnvSecret = "ES-5ca1ab1eb0a79abc";

EnvLookup test_env() {
  return [](const std::string& n) -> std::optional<std::string> {
    if (n == "SECRET_ENV") return kEnvSecret;
    return std::nullopt;
  };
}

// Every message a config produces, errors or warnings.
std::vector<std::string> messages_of(const std::string& yaml) {
  try {
    auto l = parse_config(yaml, "config.yml", test_env());
    auto out = l.warnings;
    out.push_back(describe(l.config));
    return out;
  } catch (const ConfigError& e) {
    auto out = e.problems;
    out.push_back(e.what());
    return out;
  }
}

void expect_config_error(const std::string& yaml, const std::string& label) {
  try {
    parse_config(yaml, "config.yml", test_env());
    ADD_FAILURE() << label << ": accepted";
  } catch (const ConfigError& e) {
    ASSERT_FALSE(e.problems.empty()) << label;
    for (const auto& p : e.problems) EXPECT_TRUE(p.starts_with("config.yml:")) << label << ": " << p;
  } catch (const std::exception& e) {
    ADD_FAILURE() << label << ": escaped as " << e.what();
  }
}

TEST(ConfigRobustness, MalformedYamlIsAConfigError) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tab indent", "accounts:\n\t- name: x\n"},
      {"tab in map", "accounts:\n  - name: x\n\tapi_key: k\n"},
      {"unclosed [", "accounts: [\n"},
      {"unclosed {", "accounts:\n  - {name: x, api_key: k\n"},
      {"unclosed quote", "accounts:\n  - name: \"main\n"},
      {"bad indent", "accounts:\n  - name: x\n   api_key: k\n"},
      {"scalar root", "hello world\n"},
      {"list root", "- a\n- b\n"},
      {"empty", ""},
      {"blank", "   \n\n"},
      {"comments only", "# nothing here\n"},
      {"two documents", "accounts: []\n---\naccounts: []\n"},
      {"unknown alias", "accounts: *nope\n"},
      {"merge key", "base: &b {enabled: false}\naccounts:\n  - <<: *b\n"},
      {"NUL bytes", std::string("accounts:\0\0\n  - name: x\n", 25)},
      {"scalar where map expected",
       "accounts:\n  - name: x\n    api_key: k\n    secret_key: s\n    invitee_assets: yes\n"},
      {"map where list expected", "accounts:\n  name: x\n"},
      {"bad utf-8", "accounts:\n  - name: \xff\xfe\n"},
      {"thousands of bad accounts",
       [] {
         std::string s = "accounts:\n";
         for (int i = 0; i < 5000; ++i) s += "  - " + std::to_string(i) + "\n";
         return s;
       }()},
  };
  for (const auto& [label, yaml] : cases) expect_config_error(yaml, label);
}

TEST(ConfigRobustness, TabsAreNamedAsTheCause) {
  try {
    parse_config("accounts:\n\t- name: x\n", "config.yml", test_env());
    FAIL();
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.problems.size(), 1u);
    EXPECT_NE(e.problems[0].find("config.yml:2: invalid YAML: "), std::string::npos) << e.problems[0];
    EXPECT_NE(e.problems[0].find("indents with tabs"), std::string::npos) << e.problems[0];
  }
}

TEST(ConfigRobustness, MegabyteOfGarbageNeverCrashes) {
  constexpr size_t kSize = 1 << 20;
  std::mt19937 rng(20240601);
  std::string random_bytes(kSize, '\0');
  for (auto& c : random_bytes) c = static_cast<char>(rng());
  const std::string alphabet = ":-[]{}#&*!|>'\"%@`,? \n\tabc0123${}";
  std::string yamlish(kSize, ' ');
  for (auto& c : yamlish) c = alphabet[rng() % alphabet.size()];
  expect_config_error(random_bytes, "random bytes");
  expect_config_error(yamlish, "yaml-ish noise");
  expect_config_error(std::string(kSize, '['), "deep flow lists");
  std::string deep_maps;
  while (deep_maps.size() < kSize) deep_maps += "{a: ";
  expect_config_error(deep_maps, "deep flow maps");
  std::string deep_block;
  for (int i = 0; deep_block.size() < kSize; ++i)
    deep_block += std::string(static_cast<size_t>(i % 2000), ' ') + "- \n";
  expect_config_error(deep_block, "deep block lists");
}

TEST(ConfigRobustness, SecretsNeverAppearInAnyMessage) {
  auto dir = std::filesystem::temp_directory_path() / ("coinw-config-secret-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto two_line = (dir / "two_line").string();
  std::ofstream(two_line) << kSecret << "\n" << kSecret << "\n";
  std::filesystem::permissions(two_line, std::filesystem::perms::owner_read | std::filesystem::perms::others_read);

  const std::string acct = "accounts:\n  - name: main\n";
  const std::string K = kKey, S = kSecret;
  const std::vector<std::string> battery = {
      acct + "    api_key: [" + K + ", " + K + "]\n    secret_key: " + S + "\n",
      acct + "    api_key: " + K + "\n    secret_key: {" + S + ": " + S + "}\n",
      acct + "    api_key: \"" + K + " tail\"\n    secret_key: " + S + "\n",
      acct + "    api_key: " + K + "\n    secret_key: \"${SECRET_ENV} x\"\n",
      acct + "    api_key: " + K + "\n    secret_key: \"" + S + "\\t" + S + "\"\n",
      acct + "    api_key: " + K + "\n    secretkey: " + S + "\n",
      acct + "    api_key: " + K + "\n    api_key_file: /nonexistent\n    secret_key: " + S + "\n",
      acct + "    api_key: " + K + "\n    api_key: " + K + "\n    secret_key: " + S + "\n",
      acct + "    api_key: " + K + "\n    secret_key: \"" + S + "${NOPE}\"\n",
      acct + "    api_key: " + K + "\n    secret_key: \"" + S + "${bad name}\"\n",
      acct + "    api_key: " + K + "\n    secret_key: \"" + S + "${UNCLOSED\"\n",
      acct + "    api_key: " + K + "\n    secret_key:\n",
      acct + "    api_key: " + K + "\n    secret_key_file: " + two_line + "\n",
      // A secret pasted into another key is redacted from that key's message.
      "accounts:\n  - name: \"${SECRET_ENV}!\"\n    api_key: " + K + "\n    secret_key: ${SECRET_ENV}\n",
      acct + "    api_key: " + K + "\n    secret_key: " + S + "\n    base_url: " + S + "\n",
      acct + "    api_key: " + K + "\n    secret_key: " + S + "\n    invitee_assets: {page_size: " + S + ", quotes: [" +
          K + "]}\n",
      "global: {time_zone: " + S + ", nick_name: " + K + "}\n" + acct + "    api_key: " + K + "\n    secret_key: " + S +
          "\n",
      // Warnings only.
      acct + "    api_key: " + K + "\n    secret_key: " + S +
          "\n    base_url: http://10.1.1.1\n    invitee_assets: {enabled: false}\n    sub_accounts: {enabled: false}\n",
      // Malformed YAML around a secret.
      acct + "    api_key: \"" + K + "\n",
      acct + "\tapi_key: " + K + "\n",
      acct + "    api_key: " + K + ": " + S + "\n",
      acct + "    api_key: [" + K + "\n",
  };
  for (const auto& yaml : battery) {
    auto messages = messages_of(yaml);
    ASSERT_GE(messages.size(), 2u) << yaml;  // at least one problem or warning besides the summary
    for (const auto& m : messages)
      for (const auto& secret : {kKey, kSecret, kEnvSecret})
        EXPECT_EQ(m.find(secret), std::string::npos) << "leaked in: " << m << "\nfrom:\n" << yaml;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coinw::config
