// Which proxy each account uses: its own proxy_url, global.http's, or the
// environment's (as Go's ProxyFromEnvironment), then no_proxy; and every
// mistake named by its key, without the password.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "support/config_problems.h"

namespace coinw::config {
namespace {

namespace fs = std::filesystem;
using testing::env_of;

const std::string kPassword = "PX-7c1d9e4f2a8b3c6d";
// Lines 1-4; cases append account keys from line 5 on.
const std::string kAccount =
    "accounts:\n  - name: main\n    api_key: AK-0123456789ab\n    secret_key: SK-0123456789ab\n";

Loaded parse(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return parse_config(yaml, "config.yml", env_of(std::move(env)));
}

std::vector<std::string> problems_of(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return testing::config_problems(yaml, [&](const std::string& y) { parse(y, env); });
}

const AccountConfig& only(const Loaded& l) { return l.config.accounts.at(0); }

TEST(ConfigProxy, DirectByDefault) {
  auto l = parse(kAccount);
  EXPECT_FALSE(only(l).proxy.enabled());
  EXPECT_EQ(only(l).proxy_from, "no HTTPS_PROXY in the environment");
  EXPECT_TRUE(l.config.global.http.proxy_from_environment);
}

TEST(ConfigProxy, GlobalProxyForEveryAccountUnlessItHasItsOwn) {
  auto l = parse("global:\n  http:\n    proxy_url: http://egress.internal:3128\n" + kAccount +
                 "  - {name: other, api_key: AK-abcdef012345, secret_key: SK-abcdef012345, "
                 "proxy_url: 'http://other.internal:8080'}\n");
  EXPECT_EQ(l.config.accounts[0].proxy, (Proxy{"egress.internal", 3128, "", ""}));
  EXPECT_EQ(l.config.accounts[0].proxy_from, "global.http.proxy_url");
  EXPECT_EQ(l.config.accounts[1].proxy, (Proxy{"other.internal", 8080, "", ""}));
  EXPECT_EQ(l.config.accounts[1].proxy_from, "accounts[1].proxy_url");
  // An empty proxy_url is no proxy_url: the global one applies.
  l = parse("global:\n  http:\n    proxy_url: http://egress.internal:3128\n" + kAccount + "    proxy_url: ''\n");
  EXPECT_EQ(only(l).proxy, (Proxy{"egress.internal", 3128, "", ""}));
  EXPECT_EQ(describe(l.config).find("account main: https://api.coinw.com via proxy http://egress.internal:3128 "
                                    "(global.http.proxy_url)") == std::string::npos,
            false)
      << describe(l.config);
}

TEST(ConfigProxy, TheEnvironmentAsGoReadsIt) {
  // HTTPS_PROXY for https, the upper-case name first; a value without scheme is http.
  auto l = parse(kAccount, {{"HTTPS_PROXY", "envproxy:3128"}, {"https_proxy", "http://lower:1"}});
  EXPECT_EQ(only(l).proxy, (Proxy{"envproxy", 3128, "", ""}));
  EXPECT_EQ(only(l).proxy_from, "HTTPS_PROXY");
  l = parse(kAccount, {{"https_proxy", "http://lower:1"}, {"HTTP_PROXY", "http://plain:2"}});
  EXPECT_EQ(only(l).proxy, (Proxy{"lower", 1, "", ""}));
  // HTTP_PROXY for an http:// base URL, never for a loopback one.
  const std::string sim = kAccount + "    base_url: http://sim.internal:8790\n";
  EXPECT_EQ(only(parse(sim, {{"HTTP_PROXY", "http://plain:2"}})).proxy, (Proxy{"plain", 2, "", ""}));
  l = parse(kAccount + "    base_url: http://127.0.0.1:8790\n", {{"HTTP_PROXY", "http://plain:2"}});
  EXPECT_FALSE(only(l).proxy.enabled());
  EXPECT_EQ(only(l).proxy_from, "loopback hosts are not proxied from the environment");
  // NO_PROXY (or no_proxy) and the configured no_proxy both apply to an environment proxy.
  l = parse(kAccount, {{"HTTPS_PROXY", "http://envproxy:3128"}, {"no_proxy", ".coinw.com"}});
  EXPECT_FALSE(only(l).proxy.enabled());
  EXPECT_EQ(only(l).proxy_from, "no_proxy matches api.coinw.com");
  l = parse("global: {http: {no_proxy: 'api.coinw.com'}}\n" + kAccount,
            {{"HTTPS_PROXY", "http://envproxy:3128"}, {"NO_PROXY", "other.example"}});
  EXPECT_FALSE(only(l).proxy.enabled());
  // Switched off: the environment is not read.
  l = parse("global: {http: {proxy_from_environment: false}}\n" + kAccount, {{"HTTPS_PROXY", "http://envproxy:3128"}});
  EXPECT_FALSE(only(l).proxy.enabled());
  EXPECT_EQ(only(l).proxy_from, "global.http.proxy_from_environment is false");
}

TEST(ConfigProxy, ConfiguredProxyWinsOverTheEnvironmentAndIgnoresItsNoProxy) {
  auto l = parse("global: {http: {proxy_url: 'http://egress:3128'}}\n" + kAccount,
                 {{"HTTPS_PROXY", "http://envproxy:1"}, {"NO_PROXY", "*"}});
  EXPECT_EQ(only(l).proxy, (Proxy{"egress", 3128, "", ""}));
  // An account leaves a global proxy with its own no_proxy.
  l = parse("global: {http: {proxy_url: 'http://egress:3128', no_proxy: 'example.org'}}\n" + kAccount +
            "    no_proxy: '*'\n");
  EXPECT_FALSE(only(l).proxy.enabled());
  EXPECT_NE(describe(l.config).find("account main: https://api.coinw.com direct (no_proxy matches api.coinw.com)"),
            std::string::npos)
      << describe(l.config);
  // A loopback simulator behind an explicit proxy is proxied (the end-to-end test relies on it).
  l = parse(kAccount + "    base_url: https://127.0.0.1:8790\n    proxy_url: http://127.0.0.1:3128\n");
  EXPECT_EQ(only(l).proxy, (Proxy{"127.0.0.1", 3128, "", ""}));
}

TEST(ConfigProxy, MistakesNameTheKeyAndNeverThePassword) {
  EXPECT_EQ(problems_of(kAccount + "    proxy_url: socks5://u:" + kPassword + "@proxy:1080\n"),
            std::vector<std::string>{"config.yml:5: accounts[0].proxy_url: unsupported scheme 'socks5': only http:// "
                                     "proxies are supported (they tunnel https with CONNECT)"});
  EXPECT_EQ(problems_of("global:\n  http:\n    proxy_url: 'http://proxy:3128/x'\n" + kAccount),
            std::vector<std::string>{"config.yml:3: global.http.proxy_url: must not have a path, query or fragment"});
  EXPECT_EQ(
      problems_of(kAccount + "    proxy_url: 'proxy:3128'\n"),
      std::vector<std::string>{"config.yml:5: accounts[0].proxy_url: must be http://[user[:password]@]host[:port]"});
  EXPECT_EQ(
      problems_of(kAccount + "    proxy_password_file: /nonexistent\n"),
      std::vector<std::string>{"config.yml:5: accounts[0].proxy_password_file: needs a proxy_url with a user name"});
  EXPECT_EQ(problems_of(kAccount + "    proxy_url: http://proxy:3128\n    proxy_password_file: /nonexistent\n"),
            std::vector<std::string>{"config.yml:6: accounts[0].proxy_password_file: needs a user name and no "
                                     "password in proxy_url (http://user@host:port)"});
  EXPECT_EQ(problems_of(kAccount + "    proxy_from_environment: true\n"),
            std::vector<std::string>{"config.yml:5: accounts[0].proxy_from_environment: unknown key"})
      << "the environment switch is global";
  // The environment's value is checked too, and named.
  auto problems = problems_of(kAccount, {{"HTTPS_PROXY", "socks5h://u:" + kPassword + "@proxy:1080"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "config.yml:2: accounts[0]: HTTPS_PROXY in the environment: unsupported scheme 'socks5h': "
            "only http:// proxies are supported (they tunnel https with CONNECT) (or set "
            "global.http.proxy_from_environment: false)");
}

TEST(ConfigProxy, PasswordsAreSecrets) {
  // In the URL (as in HTTPS_PROXY): masked in --config.check, redacted from any message.
  auto l = parse(kAccount + "    proxy_url: http://exporter:" + kPassword + "@proxy:3128\n");
  EXPECT_EQ(only(l).proxy, (Proxy{"proxy", 3128, "exporter", kPassword}));
  EXPECT_EQ(describe(l.config).find(kPassword), std::string::npos);
  EXPECT_NE(describe(l.config).find("via proxy http://exporter:<secret>@proxy:3128"), std::string::npos);
  for (const auto& p : problems_of(kAccount + "    proxy_url: http://exporter:" + kPassword + "@proxy:3128\n" +
                                   "    name: " + kPassword + "\n"))
    EXPECT_EQ(p.find(kPassword), std::string::npos) << p;
  l = parse(kAccount, {{"HTTPS_PROXY", "http://exporter:" + kPassword + "@envproxy:3128"}});
  EXPECT_EQ(only(l).proxy.password, kPassword);
  EXPECT_EQ(describe(l.config).find(kPassword), std::string::npos);
}

TEST(ConfigProxy, PasswordFromAFile) {
  std::string dir = (fs::temp_directory_path() / "coinw-proxy-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  const std::string file = dir + "/proxy_password";
  std::ofstream(file) << kPassword << "\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  auto l = parse_config(
      "global:\n  http:\n    proxy_url: http://exporter@proxy:3128\n    proxy_password_file: proxy_password\n" +
          kAccount,
      dir + "/config.yml", env_of({}));
  EXPECT_EQ(only(l).proxy, (Proxy{"proxy", 3128, "exporter", kPassword}));
  EXPECT_TRUE(l.warnings.empty());
  // Readable by others: warned about, as the API key files are.
  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  l = parse_config(
      "global:\n  http:\n    proxy_url: http://exporter@proxy:3128\n    proxy_password_file: proxy_password\n" +
          kAccount,
      dir + "/config.yml", env_of({}));
  ASSERT_EQ(l.warnings.size(), 1u);
  EXPECT_NE(l.warnings[0].find("global.http.proxy_password_file: " + file + " is accessible by group or others"),
            std::string::npos)
      << l.warnings[0];
  // Empty: an error naming the file.
  std::ofstream(file, std::ios::trunc) << "\n";
  auto problems =
      problems_of("global:\n  http:\n    proxy_url: http://exporter@proxy:3128\n    proxy_password_file: " + file +
                  "\n" + kAccount);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "config.yml:4: global.http.proxy_password_file: " + file + " is empty");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace coinw::config
