#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "support/config_problems.h"

namespace coinw::config {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kKey = "AK-1b2c3d4e5f607182";
const std::string kSecret = "SK-8a7b6c5d4e3f2a1b";

EnvLookup no_env() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "coinw-config-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir = tmpl;
    config_path = (dir / "config.yml").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir / "locked", fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& content,
                    fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
    auto p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    fs::permissions(p, mode);
    return p.string();
  }
  // An account whose secret_key is read from `file`.
  std::string with_secret_file(const std::string& file) {
    return "accounts:\n  - name: main\n    api_key: " + kKey + "\n    secret_key_file: " + file + "\n";
  }
  Loaded parse(const std::string& yaml) { return parse_config(yaml, config_path, no_env()); }
  std::vector<std::string> problems_of(const std::string& yaml) {
    return testing::config_problems(yaml, [this](const std::string& y) { parse(y); });
  }

  fs::path dir;
  std::string config_path;
};

TEST_F(ConfigFiles, SecretFileIsReadAndTrimmed) {
  auto path = write("secret", kSecret + " \n\t\r\n");
  auto l = parse(with_secret_file(path));
  EXPECT_EQ(l.config.accounts[0].secret_key, kSecret);
  EXPECT_TRUE(l.warnings.empty());
  auto key = write("key", kKey);  // no trailing newline at all
  l = parse("accounts:\n  - name: main\n    api_key_file: " + key + "\n    secret_key_file: " + path + "\n");
  EXPECT_EQ(l.config.accounts[0].api_key, kKey);
  EXPECT_EQ(l.config.accounts[0].secret_key, kSecret);
}

TEST_F(ConfigFiles, RelativePathsAreTakenFromTheConfigDirectory) {
  write("secret", kSecret + "\n");
  write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
  auto l = parse(with_secret_file("secret") + "    ca_file: ca.pem\n");
  EXPECT_EQ(l.config.accounts[0].secret_key, kSecret);
  EXPECT_EQ(l.config.accounts[0].ca_file, (dir / "ca.pem").string());
}

// A FIFO with no writer would block open() for ever, and with it a reload.
TEST_F(ConfigFiles, SecretFifoIsRefusedWithoutBlocking) {
  const auto fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto p = problems_of(with_secret_file(fifo));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], dir.string() + "/config.yml:4: accounts[0].secret_key_file: " + fifo + " is not a regular file");
}

TEST_F(ConfigFiles, SecretFileProblems) {
  auto empty = write("empty", " \n\n");
  auto inner = write("inner", kSecret + "\n" + kSecret + "\n");
  auto huge = write("huge", std::string(65 * 1024, 'x'));
  const auto missing = (dir / "missing").string();
  const auto under_file = empty + "/x";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {under_file, "config.yml:4: accounts[0].secret_key_file: cannot read " + under_file + ": Not a directory"},
      {empty, "config.yml:4: accounts[0].secret_key_file: " + empty + " is empty"},
      {missing, "config.yml:4: accounts[0].secret_key_file: cannot read " + missing + ": No such file or directory"},
      {dir.string(), "config.yml:4: accounts[0].secret_key_file: " + dir.string() + " is not a regular file"},
      {inner, "config.yml:4: accounts[0].secret_key_file: the content of " + inner +
                  " must not contain whitespace or control characters"},
      {huge, "config.yml:4: accounts[0].secret_key_file: " + huge + " is larger than 64 KiB; is it the right file?"},
  };
  for (const auto& [file, problem] : cases) {
    auto p = problems_of(with_secret_file(file));
    ASSERT_EQ(p.size(), 1u) << file;
    EXPECT_EQ(p[0], dir.string() + "/" + problem);
  }
}

TEST_F(ConfigFiles, UnreadableSecretFileNamesPathAndErrno) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  auto path = write("locked", kSecret, fs::perms::none);
  auto p = problems_of(with_secret_file(path));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], config_path + ":4: accounts[0].secret_key_file: cannot read " + path + ": Permission denied");
}

TEST_F(ConfigFiles, WarnsWhenGroupOrOthersCanAccessASecretFile) {
  using P = fs::perms;
  const std::vector<std::pair<P, std::string>> cases = {
      {P::owner_read | P::owner_write | P::group_read, "0640"},
      {P::owner_read | P::owner_write | P::others_read, "0604"},
      {P::owner_read | P::group_write, "0420"},
  };
  for (const auto& [mode, octal] : cases) {
    auto path = write("secret", kSecret, mode);
    auto l = parse(with_secret_file(path));
    ASSERT_EQ(l.warnings.size(), 1u) << octal;
    EXPECT_EQ(l.warnings[0], config_path + ":4: accounts[0].secret_key_file: " + path +
                                 " is accessible by group or others (mode " + octal + "); chmod 600 it");
    fs::remove(path);
  }
  EXPECT_TRUE(parse(with_secret_file(write("ok", kSecret, P::owner_read))).warnings.empty());
}

TEST_F(ConfigFiles, AccountCaFileOverridesGlobal) {
  auto global_ca = write("global.pem", "x");
  auto account_ca = write("account.pem", "x");
  const std::string base = "global: {http: {ca_file: " + global_ca +
                           "}}\n"
                           "accounts:\n"
                           "  - {name: a, api_key: k, secret_key: s}\n"
                           "  - {name: b, api_key: k, secret_key: s, ca_file: " +
                           account_ca +
                           "}\n"
                           "  - {name: c, api_key: k, secret_key: s, ca_file: ''}\n";
  auto l = parse(base);
  EXPECT_EQ(l.config.global.http.ca_file, global_ca);
  EXPECT_EQ(l.config.accounts[0].ca_file, global_ca);
  EXPECT_EQ(l.config.accounts[1].ca_file, account_ca);
  EXPECT_EQ(l.config.accounts[2].ca_file, "");  // back to the system store
  EXPECT_NE(describe(l.config).find(account_ca), std::string::npos);
}

TEST_F(ConfigFiles, LoadConfigFileUsesTheProcessEnvironment) {
  ::setenv("COINW_CONFIG_TEST_KEY", kKey.c_str(), 1);
  auto path = write("config.yml",
                    "accounts:\n  - name: main\n    api_key: ${COINW_CONFIG_TEST_KEY}\n"
                    "    secret_key: " +
                        kSecret + "\n");
  auto l = load_config_file(path);
  ::unsetenv("COINW_CONFIG_TEST_KEY");
  EXPECT_EQ(l.config.accounts[0].api_key, kKey);
  try {
    load_config_file(path);
    FAIL() << "unset variable accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ":3: accounts[0].api_key: environment variable COINW_CONFIG_TEST_KEY is not set");
  }
}

TEST_F(ConfigFiles, MissingOrOddConfigFileIsAConfigError) {
  const auto missing = (dir / "nope.yml").string();
  for (const auto& [path, problem] : std::vector<std::pair<std::string, std::string>>{
           {missing, "cannot read " + missing + ": No such file or directory"},
           {dir.string(), dir.string() + " is not a regular file"}}) {
    try {
      load_config_file(path);
      FAIL() << path;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.problems, std::vector<std::string>{problem});
    }
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The shipped examples must stay loadable and must state the real defaults.
TEST(ConfigExamples, ExampleLoadsCleanlyAndDocumentsTheDefaults) {
  auto env = [](const std::string& n) -> std::optional<std::string> {
    if (n == "COINW_API_KEY") return kKey;
    if (n == "COINW_SECRET_KEY") return kSecret;
    return std::nullopt;
  };
  const std::string path = COINW_TEST_DATA "/../../config/example.yml";
  auto l = parse_config(read_text(path), path, env);
  EXPECT_TRUE(l.warnings.empty()) << ::testing::PrintToString(l.warnings);
  EXPECT_EQ(l.config.global, GlobalConfig{});
  ASSERT_EQ(l.config.accounts.size(), 1u);
  AccountConfig defaults;
  defaults.name = "main";
  defaults.api_key = kKey;
  defaults.secret_key = kSecret;
  defaults.proxy_from = "no HTTPS_PROXY in the environment";
  EXPECT_EQ(l.config.accounts[0], defaults);
}

TEST(ConfigExamples, DemoLoadsCleanlyAgainstTheSimulator) {
  const std::string path = COINW_TEST_DATA "/../../config/demo.yml";
  auto l = parse_config(read_text(path), path, no_env());
  EXPECT_TRUE(l.warnings.empty()) << ::testing::PrintToString(l.warnings);
  ASSERT_EQ(l.config.accounts.size(), 1u);
  const auto& a = l.config.accounts[0];
  EXPECT_EQ(a.name, "demo");
  EXPECT_EQ(a.base_url.text(), "http://127.0.0.1:8790");
  EXPECT_EQ(a.api_key, "demo-key");
  EXPECT_EQ(a.secret_key, "demo-secret");
  EXPECT_EQ(a.invitee_assets.quotes, (std::vector<std::string>{"usdt", "usdc"}));
  EXPECT_EQ(a.invitee_assets.page_size, 100);
  EXPECT_EQ(a.invitee_assets.min_refresh_interval, 60s);
  EXPECT_EQ(a.sub_accounts.min_refresh_interval, 30s);
  EXPECT_TRUE(a.invitee_assets.enabled && a.sub_accounts.enabled);
}

}  // namespace
}  // namespace coinw::config
