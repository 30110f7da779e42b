#include <gtest/gtest.h>

#include <map>

#include "common/timefmt.h"
#include "config/config.h"
#include "support/config_problems.h"

namespace coinw::config {
namespace {

using namespace std::chrono_literals;

const std::string kKey = "AK-9f3c1e7d2b8a4c6e";
const std::string kSecret = "SK-4d2e8f1a9c7b3e5d";

// Lines 1-4; cases append account keys from line 5 on.
const std::string kMinimal = "accounts:\n  - name: main\n    api_key: " + kKey + "\n    secret_key: " + kSecret + "\n";

using testing::env_of;

Loaded parse(const std::string& yaml, const EnvLookup& env = env_of({})) {
  return parse_config(yaml, "config.yml", env);
}

std::vector<std::string> problems_of(const std::string& yaml, const EnvLookup& env = env_of({})) {
  return testing::config_problems(yaml, [&](const std::string& y) { parse(y, env); });
}

TEST(ConfigLoad, MinimalGetsEveryDefault) {
  auto l = parse(kMinimal);
  EXPECT_TRUE(l.warnings.empty());
  const auto& g = l.config.global;
  EXPECT_EQ(g.scrape_timeout_offset, 500ms);
  EXPECT_EQ(g.default_scrape_timeout, 10s);
  EXPECT_EQ(g.staleness_limit, 15min);
  EXPECT_EQ(g.nick_name, NickNamePolicy::masked);
  EXPECT_EQ(g.time_zone_offset_seconds, 0);
  EXPECT_EQ(g.http.connect_timeout, 5s);
  EXPECT_EQ(g.http.read_timeout, 10s);
  EXPECT_EQ(g.http.ca_file, "");
  const auto& r = g.rate_limits;
  EXPECT_EQ(r.invitee_assets_per_second, 5);
  EXPECT_EQ(r.futures_ip_per_second, 0);
  EXPECT_EQ(r.sub_account_list_per_second, 3);
  EXPECT_EQ(r.spot_ip_per_second, 100);
  EXPECT_EQ(r.spot_user_per_second, 300);
  EXPECT_EQ(r.safety_margin, 20ms);
  EXPECT_EQ(r.pause_after_rate_limit, 30s);
  ASSERT_EQ(l.config.accounts.size(), 1u);
  const auto& a = l.config.accounts[0];
  EXPECT_EQ(a.name, "main");
  EXPECT_EQ(a.user, "") << "no user: the key's own limits";
  EXPECT_EQ(a.base_url.text(), "https://api.coinw.com");
  EXPECT_EQ(a.api_key, kKey);
  EXPECT_EQ(a.secret_key, kSecret);
  EXPECT_EQ(a.ca_file, "");
  EXPECT_TRUE(a.invitee_assets.enabled);
  EXPECT_EQ(a.invitee_assets.quotes, std::vector<std::string>{"usdt"});
  EXPECT_EQ(a.invitee_assets.page_size, 100);
  EXPECT_EQ(a.invitee_assets.min_refresh_interval, 60s);
  EXPECT_TRUE(a.sub_accounts.enabled);
  EXPECT_EQ(a.sub_accounts.min_refresh_interval, 30s);
}

TEST(ConfigLoad, EmptySectionsMeanDefaults) {
  auto l = parse("global:\n  http:\n  rate_limits:\n" + kMinimal + "    invitee_assets:\n    sub_accounts: {}\n");
  EXPECT_EQ(l.config.global, GlobalConfig{});
  EXPECT_EQ(l.config.accounts[0].invitee_assets, InviteeAssetsConfig{});
  EXPECT_EQ(l.config.accounts[0].sub_accounts, SubAccountsConfig{});
}

TEST(ConfigLoad, FullConfigRoundTripsEveryValue) {
  const std::string yaml = R"(global:
  scrape_timeout_offset: 1s
  default_scrape_timeout: 20s
  staleness_limit: 1h30m
  nick_name: none
  time_zone: "+08:00"
  http: { connect_timeout: 2s, read_timeout: 45s, proxy_url: "http://egress:3128", no_proxy: example.org,
          proxy_from_environment: false }
  rate_limits:
    invitee_assets_per_second: 4
    futures_ip_per_second: 50
    sub_account_list_per_second: 2
    spot_ip_per_second: 90
    spot_user_per_second: 250
    safety_margin: 50ms
    pause_after_rate_limit: 1m
accounts:
  - name: main.eu-1
    base_url: https://api.coinw.com/
    api_key: )" + kKey + R"(
    secret_key: ")" + kSecret +
                           R"("
    invitee_assets:
      enabled: false
      quotes: [usdc, usdt]
      page_size: 1000
      min_refresh_interval: 5m
    sub_accounts:
      enabled: true
      min_refresh_interval: 1s
  - name: Second_2
    base_url: http://127.0.0.1:8790
    api_key: k2-abcdefgh
    secret_key: s2-abcdefgh
    proxy_url: http://u:pw-abcdefgh@other:8080
    sub_accounts: { enabled: false }
)";
  auto l = parse(yaml);
  EXPECT_TRUE(l.warnings.empty()) << l.warnings[0];
  Config want;
  want.global.scrape_timeout_offset = 1s;
  want.global.default_scrape_timeout = 20s;
  want.global.staleness_limit = 90min;
  want.global.nick_name = NickNamePolicy::none;
  want.global.time_zone_offset_seconds = 8 * 3600;
  want.global.http.connect_timeout = 2s;
  want.global.http.read_timeout = 45s;
  want.global.http.proxy = Proxy{"egress", 3128, "", ""};
  want.global.http.no_proxy = "example.org";
  want.global.http.proxy_from_environment = false;
  want.global.rate_limits.invitee_assets_per_second = 4;
  want.global.rate_limits.futures_ip_per_second = 50;
  want.global.rate_limits.sub_account_list_per_second = 2;
  want.global.rate_limits.spot_ip_per_second = 90;
  want.global.rate_limits.spot_user_per_second = 250;
  want.global.rate_limits.safety_margin = 50ms;
  want.global.rate_limits.pause_after_rate_limit = 1min;
  AccountConfig a;
  a.name = "main.eu-1";
  a.base_url = "https://api.coinw.com";
  a.api_key = kKey;
  a.secret_key = kSecret;
  a.invitee_assets.enabled = false;
  a.invitee_assets.quotes = {"usdc", "usdt"};
  a.invitee_assets.page_size = 1000;
  a.invitee_assets.min_refresh_interval = 5min;
  a.sub_accounts.min_refresh_interval = 1s;
  a.proxy = Proxy{"egress", 3128, "", ""};
  a.proxy_from = "global.http.proxy_url";
  AccountConfig b;
  b.name = "Second_2";
  b.base_url = "http://127.0.0.1:8790";
  b.api_key = "k2-abcdefgh";
  b.secret_key = "s2-abcdefgh";
  b.sub_accounts.enabled = false;
  b.proxy = Proxy{"other", 8080, "u", "pw-abcdefgh"};
  b.proxy_from = "accounts[1].proxy_url";
  want.accounts = {a, b};
  EXPECT_EQ(l.config.global, want.global);
  EXPECT_EQ(l.config.accounts[0], a);
  EXPECT_EQ(l.config.accounts[1], b);
  EXPECT_EQ(l.config, want);
}

TEST(ConfigLoad, AccountEqualityTracksEveryChange) {
  const auto base = parse(kMinimal).config.accounts[0];
  EXPECT_EQ(parse(kMinimal).config.accounts[0], base);
  for (const char* extra : {"    invitee_assets: {page_size: 99}\n", "    sub_accounts: {min_refresh_interval: 31s}\n",
                            "    base_url: https://api2.coinw.com\n", "    invitee_assets: {quotes: [usdt, usdc]}\n"}) {
    EXPECT_NE(parse(kMinimal + extra).config.accounts[0], base) << extra;
  }
  auto rotated = parse("accounts:\n  - name: main\n    api_key: " + kKey + "\n    secret_key: other-secret\n");
  EXPECT_NE(rotated.config.accounts[0], base);
}

struct Case {
  std::string extra;
  std::string problem;
};

TEST(ConfigLoad, AccountRulesReportFileLinePathReason) {
  const std::vector<Case> cases = {
      {"    invitee_assets: {page_size: 5000}",
       "config.yml:5: accounts[0].invitee_assets.page_size: must be between 1 and 1000, got 5000"},
      {"    invitee_assets:\n      page_size: 0",
       "config.yml:6: accounts[0].invitee_assets.page_size: must be between 1 and 1000, got 0"},
      {"    invitee_assets: {page_size: ten}",
       "config.yml:5: accounts[0].invitee_assets.page_size: must be a whole number, got 'ten'"},
      {"    invitee_assets: {page_size: 1.5}",
       "config.yml:5: accounts[0].invitee_assets.page_size: must be a whole number, got '1.5'"},
      {"    invitee_assets: {page_size: 99999999999999999999}",
       "config.yml:5: accounts[0].invitee_assets.page_size: must be between 1 and 1000, got 99999999999999999999"},
      {"    invitee_assets: {page_size: [1]}",
       "config.yml:5: accounts[0].invitee_assets.page_size: must be a whole number, got a list"},
      {"    invitee_assets:\n      quotes: [usdt, btc]",
       "config.yml:6: accounts[0].invitee_assets.quotes[1]: must be usdt or usdc, got 'btc'"},
      {"    invitee_assets:\n      quotes:\n        - usdc\n        - usdc",
       "config.yml:8: accounts[0].invitee_assets.quotes[1]: duplicate quote usdc"},
      {"    invitee_assets: {quotes: []}",
       "config.yml:5: accounts[0].invitee_assets.quotes: must not be empty while enabled"},
      {"    invitee_assets: {quotes: usdt}",
       "config.yml:5: accounts[0].invitee_assets.quotes: must be a list, got a scalar"},
      {"    invitee_assets: {quotes: [[usdt]]}",
       "config.yml:5: accounts[0].invitee_assets.quotes[0]: must be usdt or usdc, got a list"},
      {"    invitee_assets: {min_refresh_interval: 500ms}",
       "config.yml:5: accounts[0].invitee_assets.min_refresh_interval: must be at least 1s, got 500ms"},
      {"    invitee_assets: {min_refresh_interval: 60}",
       "config.yml:5: accounts[0].invitee_assets.min_refresh_interval: must be a duration like 500ms, 30s or 1h30m, "
       "got '60'"},
      {"    invitee_assets: {enabled: yes}",
       "config.yml:5: accounts[0].invitee_assets.enabled: must be true or false, got 'yes'"},
      {"    sub_accounts: {min_refresh_interval: 0s}",
       "config.yml:5: accounts[0].sub_accounts.min_refresh_interval: must be at least 1s, got 0s"},
      {"    sub_accounts: true", "config.yml:5: accounts[0].sub_accounts: must be a map, got a scalar"},
      {"    sub_accounts: [enabled]", "config.yml:5: accounts[0].sub_accounts: must be a map, got a list"},
      {"    user: alice smith",
       "config.yml:5: accounts[0].user: must be 1 to 64 of a-z A-Z 0-9 _ . -, got 'alice smith'"},
      {"    user: ''", "config.yml:5: accounts[0].user: must be 1 to 64 of a-z A-Z 0-9 _ . -, got ''"},
      {"    base_url: ftp://api.coinw.com",
       "config.yml:5: accounts[0].base_url: must start with https:// or http://, got 'ftp://api.coinw.com'"},
      {"    base_url: api.coinw.com",
       "config.yml:5: accounts[0].base_url: must start with https:// or http://, got 'api.coinw.com'"},
      {"    base_url: https://api.coinw.com/api/v1",
       "config.yml:5: accounts[0].base_url: must not have a path, query or fragment (the exporter adds the API "
       "paths), got 'https://api.coinw.com/api/v1'"},
      {"    base_url: https://api.coinw.com?x=1",
       "config.yml:5: accounts[0].base_url: must not have a path, query or fragment (the exporter adds the API "
       "paths), got 'https://api.coinw.com?x=1'"},
      {"    base_url: https://", "config.yml:5: accounts[0].base_url: must be scheme://host[:port], got 'https://'"},
      {"    base_url: https://h:0",
       "config.yml:5: accounts[0].base_url: must be scheme://host[:port], got 'https://h:0'"},
      {"    base_url: https://h:65536",
       "config.yml:5: accounts[0].base_url: must be scheme://host[:port], got 'https://h:65536'"},
      {"    base_url: 'https://h:'",
       "config.yml:5: accounts[0].base_url: must be scheme://host[:port], got 'https://h:'"},
      {"    base_url: https://u@h",
       "config.yml:5: accounts[0].base_url: must be scheme://host[:port], got 'https://u@h'"},
      {"    base_url: https://[::1",
       "config.yml:5: accounts[0].base_url: must be scheme://host[:port], got 'https://[::1'"},
      {"    ca_file: /nonexistent/ca.pem",
       "config.yml:5: accounts[0].ca_file: cannot read /nonexistent/ca.pem: No such file or directory"},
      {"    api_key_file: /run/secrets/k",
       "config.yml:5: accounts[0].api_key_file: set either api_key or api_key_file, not both"},
      {"    invitee_asets: {}", "config.yml:5: accounts[0].invitee_asets: unknown key (did you mean invitee_assets?)"},
      {"    apikey: x", "config.yml:5: accounts[0].apikey: unknown key (did you mean api_key?)"},
      {"    colour: blue", "config.yml:5: accounts[0].colour: unknown key"},
      {"    name: again", "config.yml:5: accounts[0].name: duplicate key (first at line 2)"},
  };
  for (const auto& c : cases) {
    auto p = problems_of(kMinimal + c.extra + "\n");
    ASSERT_EQ(p.size(), 1u) << c.extra << "\n" << ::testing::PrintToString(p);
    EXPECT_EQ(p[0], c.problem);
  }
}

TEST(ConfigLoad, AccountIdentityAndCredentialRules) {
  const std::vector<Case> cases = {
      {"accounts:\n  - api_key: a\n    secret_key: b\n", "config.yml:2: accounts[0].name: required"},
      {"accounts:\n  - name: bad name\n    api_key: a\n    secret_key: b\n",
       "config.yml:2: accounts[0].name: must be 1 to 64 of a-z A-Z 0-9 _ . -, got 'bad name'"},
      {"accounts:\n  - name: " + std::string(65, 'n') + "\n    api_key: a\n    secret_key: b\n",
       "config.yml:2: accounts[0].name: must be 1 to 64 of a-z A-Z 0-9 _ . -, got '" + std::string(65, 'n') + "'"},
      {"accounts:\n  - name: ''\n    api_key: a\n    secret_key: b\n",
       "config.yml:2: accounts[0].name: must be 1 to 64 of a-z A-Z 0-9 _ . -, got ''"},
      {"accounts:\n  - name: a\n    api_key: a\n    secret_key: b\n  - name: a\n    api_key: c\n    secret_key: d\n",
       "config.yml:5: accounts[1].name: duplicate account name 'a', also used by accounts[0] (names become the "
       "account label)"},
      {"accounts:\n  - name: m\n    secret_key: b\n", "config.yml:2: accounts[0].api_key: required (or api_key_file)"},
      {"accounts:\n  - name: m\n    api_key: a\n",
       "config.yml:2: accounts[0].secret_key: required (or secret_key_file)"},
      {"accounts:\n  - name: m\n    api_key: ''\n    secret_key: b\n",
       "config.yml:3: accounts[0].api_key: must not be empty"},
      {"accounts:\n  - name: m\n    api_key:\n    secret_key: b\n",
       "config.yml:3: accounts[0].api_key: has no value, expected a string"},
      {"accounts:\n  - name: m\n    api_key: a\n    secret_key: two words\n",
       "config.yml:4: accounts[0].secret_key: must not contain whitespace or control characters"},
      {"accounts:\n  - name: m\n    api_key: a\n    secret_key: {x: 1}\n",
       "config.yml:4: accounts[0].secret_key: must be a string, got a map"},
      {"accounts: []\n", "config.yml:1: accounts: must list at least one account"},
      {"accounts: {}\n", "config.yml:1: accounts: must be a list, got a map"},
      {"accounts:\n", "config.yml:1: accounts: must be a list, got nothing"},
      {"global: {}\n", "config.yml:1: accounts: required: list at least one account"},
      {"accounts:\n  - just-a-name\n", "config.yml:2: accounts[0]: must be a map, got a scalar"},
  };
  for (const auto& c : cases) {
    auto p = problems_of(c.extra);
    ASSERT_EQ(p.size(), 1u) << c.extra << "\n" << ::testing::PrintToString(p);
    EXPECT_EQ(p[0], c.problem);
  }
}

TEST(ConfigLoad, GlobalRulesReportFileLinePathReason) {
  const std::vector<Case> cases = {
      {"  scrape_timeout_offset: 10s",
       "config.yml:6: global.scrape_timeout_offset: must be less than default_scrape_timeout (10s), got 10s"},
      {"  default_scrape_timeout: 0s", "config.yml:6: global.default_scrape_timeout: must be at least 1ms, got 0s"},
      {"  staleness_limit: -1m",
       "config.yml:6: global.staleness_limit: must be a duration like 500ms, 30s or 1h30m, got '-1m'"},
      {"  nick_name: partial", "config.yml:6: global.nick_name: must be masked, full or none, got 'partial'"},
      {"  time_zone: Asia/Shanghai",
       "config.yml:6: global.time_zone: must be UTC, Z or an offset like +08:00 or -05:30, got 'Asia/Shanghai'"},
      {"  time_zone: +8",
       "config.yml:6: global.time_zone: must be UTC, Z or an offset like +08:00 or -05:30, got '+8'"},
      {"  http: {connect_timeout: 0s}", "config.yml:6: global.http.connect_timeout: must be at least 1ms, got 0s"},
      {"  http:\n    read_timeout: 5",
       "config.yml:7: global.http.read_timeout: must be a duration like 500ms, 30s or 1h30m, got '5'"},
      {"  http: {ca_file: /nonexistent/ca.pem}",
       "config.yml:6: global.http.ca_file: cannot read /nonexistent/ca.pem: No such file or directory"},
      {"  http: {ca_file: /}", "config.yml:6: global.http.ca_file: / is not a regular file"},
      {"  rate_limits: {invitee_assets_per_second: 0}",
       "config.yml:6: global.rate_limits.invitee_assets_per_second: must be at least 1, got 0"},
      {"  rate_limits: {sub_account_list_per_second: 0}",
       "config.yml:6: global.rate_limits.sub_account_list_per_second: must be at least 1, got 0"},
      {"  rate_limits: {spot_ip_per_second: -1}",
       "config.yml:6: global.rate_limits.spot_ip_per_second: must be at least 0, got -1"},
      {"  rate_limits: {spot_user_per_second: -5}",
       "config.yml:6: global.rate_limits.spot_user_per_second: must be at least 0, got -5"},
      {"  rate_limits: {futures_ip_per_second: -1}",
       "config.yml:6: global.rate_limits.futures_ip_per_second: must be at least 0, got -1"},
      {"  rate_limits: {safety_margin: 2s}",
       "config.yml:6: global.rate_limits.safety_margin: must be between 0s and 1s, got 2s"},
      {"  rate_limits: {pause_after_rate_limit: 29s}",
       "config.yml:6: global.rate_limits.pause_after_rate_limit: must be at least 30s, got 29s"},
      {"  rate_limits: [1]", "config.yml:6: global.rate_limits: must be a map, got a list"},
      {"  scrape_timout_offset: 1s",
       "config.yml:6: global.scrape_timout_offset: unknown key (did you mean scrape_timeout_offset?)"},
      {"  rate_limits: {spot_ip_per_secnd: 1}",
       "config.yml:6: global.rate_limits.spot_ip_per_secnd: unknown key (did you mean spot_ip_per_second?)"},
      {"  nick_name: full\n  nick_name: none", "config.yml:7: global.nick_name: duplicate key (first at line 6)"},
      {"  [a]: 1", "config.yml:6: global: keys must be plain words, got a list"},
  };
  for (const auto& c : cases) {
    auto p = problems_of(kMinimal + "global:\n" + c.extra + "\n");
    ASSERT_EQ(p.size(), 1u) << c.extra << "\n" << ::testing::PrintToString(p);
    EXPECT_EQ(p[0], c.problem);
  }
  EXPECT_EQ(problems_of(kMinimal + "global: 5\n"),
            std::vector<std::string>{"config.yml:5: global: must be a map, got a scalar"});
  EXPECT_EQ(problems_of(kMinimal + "acounts: []\n"),
            std::vector<std::string>{"config.yml:5: acounts: unknown key (did you mean accounts?)"});
}

TEST(ConfigLoad, BoundaryValuesAreAccepted) {
  auto l = parse(kMinimal + R"(    invitee_assets: {page_size: 1, min_refresh_interval: 1s, enabled: false, quotes: []}
    sub_accounts: {min_refresh_interval: 1s}
global:
  scrape_timeout_offset: 0
  rate_limits: {safety_margin: 1s, pause_after_rate_limit: 30s, spot_ip_per_second: 0, invitee_assets_per_second: 1}
)");
  EXPECT_EQ(l.config.accounts[0].invitee_assets.page_size, 1);
  EXPECT_TRUE(l.config.accounts[0].invitee_assets.quotes.empty());
  EXPECT_EQ(l.config.global.scrape_timeout_offset, 0ms);
  EXPECT_EQ(l.config.global.rate_limits.safety_margin, 1s);
  EXPECT_EQ(parse(kMinimal + "    invitee_assets: {page_size: 1000}\n").config.accounts[0].invitee_assets.page_size,
            1000);
}

TEST(ConfigLoad, CollectsEveryErrorInOnePassInLineOrder) {
  const std::string yaml = R"(global:
  nick_name: partial
  rate_limits: {pause_after_rate_limit: 10s}
accounts:
  - name: ok
    api_key: a
    secret_key: b
    invitee_assets: {page_size: 5000}
  - name: bad name
    secret_key: b
    sub_accounts: {min_refresh_interval: 1}
    unknown_thing: 1
)";
  try {
    parse(yaml);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    const std::vector<std::string> want = {
        "config.yml:2: global.nick_name: must be masked, full or none, got 'partial'",
        "config.yml:3: global.rate_limits.pause_after_rate_limit: must be at least 30s, got 10s",
        "config.yml:8: accounts[0].invitee_assets.page_size: must be between 1 and 1000, got 5000",
        "config.yml:9: accounts[1].name: must be 1 to 64 of a-z A-Z 0-9 _ . -, got 'bad name'",
        "config.yml:9: accounts[1].api_key: required (or api_key_file)",
        "config.yml:11: accounts[1].sub_accounts.min_refresh_interval: must be a duration like 500ms, 30s or 1h30m, "
        "got '1'",
        "config.yml:12: accounts[1].unknown_thing: unknown key",
    };
    EXPECT_EQ(e.problems, want);
    std::string joined;
    for (const auto& p : want) joined += (joined.empty() ? "" : "\n") + p;
    EXPECT_EQ(std::string(e.what()), joined);
  }
}

TEST(ConfigLoad, WarnsAboveDocumentedRateLimits) {
  auto l = parse(kMinimal + R"(global:
  rate_limits:
    invitee_assets_per_second: 6
    sub_account_list_per_second: 3
    spot_ip_per_second: 101
    spot_user_per_second: 301
    futures_ip_per_second: 1000
)");
  const std::vector<std::string> want = {
      "config.yml:7: global.rate_limits.invitee_assets_per_second: 6 exceeds CoinW's documented limit of 5 per second "
      "and risks a ban",
      "config.yml:9: global.rate_limits.spot_ip_per_second: 101 exceeds CoinW's documented limit of 100 per second "
      "and risks a ban",
      "config.yml:10: global.rate_limits.spot_user_per_second: 301 exceeds CoinW's documented limit of 300 per second "
      "and risks a ban",
  };
  EXPECT_EQ(l.warnings, want);
  EXPECT_EQ(parse(kMinimal + "global: {rate_limits: {sub_account_list_per_second: 4}}\n").warnings.size(), 1u);
}

TEST(ConfigLoad, PlainHttpWarnsUnlessLoopback) {
  for (const char* url : {"http://127.0.0.1:8790", "http://127.1.2.3", "http://localhost:1", "http://LOCALHOST",
                          "http://[::1]:8790", "https://10.0.0.1", "https://[2001:db8::1]:443"}) {
    auto l = parse(kMinimal + "    base_url: " + url + "\n");
    EXPECT_TRUE(l.warnings.empty()) << url;
  }
  for (const char* url : {"http://10.0.0.1", "http://sim:8790", "http://127.example.com", "http://localhost.evil.com",
                          "http://[::2]", "http://api.coinw.com"}) {
    auto l = parse(kMinimal + "    base_url: " + url + "\n");
    ASSERT_EQ(l.warnings.size(), 1u) << url;
    EXPECT_EQ(l.warnings[0],
              "config.yml:5: accounts[0].base_url: plain http to a host that is not loopback: credentials would cross "
              "the network unencrypted");
  }
}

TEST(ConfigLoad, WarnsWhenAnAccountCollectsNothing) {
  auto l = parse(kMinimal + "    invitee_assets: {enabled: false}\n    sub_accounts: {enabled: false}\n");
  EXPECT_EQ(l.warnings, std::vector<std::string>{
                            "config.yml:2: accounts[0]: every collector is disabled: this account exports nothing"});
  l = parse(kMinimal +
            "    invitee_assets: {enabled: false}\n    sub_accounts: {enabled: false}\n"
            "    invitee_registrations: {enabled: true}\n");
  EXPECT_TRUE(l.warnings.empty()) << "the funnel alone is something";
}

TEST(ConfigLoad, SharedApiKeyIsSilent) {
  auto l = parse(kMinimal + "  - name: other\n    api_key: " + kKey + "\n    secret_key: " + kSecret + "\n");
  EXPECT_EQ(l.config.accounts.size(), 2u);
  EXPECT_TRUE(l.warnings.empty());
}

TEST(ConfigLoad, ExpandsEnvironmentInEveryScalar) {
  auto env = env_of({{"COINW_API_KEY", kKey},
                     {"COINW_SECRET", kSecret},
                     {"HOST", "api.example.com"},
                     {"PS", "250"},
                     {"TZ_OFF", "-05:30"},
                     {"NAME", "acct"},
                     {"QUOTE", "usdc"}});
  auto l = parse(R"(global: {time_zone: "${TZ_OFF}"}
accounts:
  - name: ${NAME}-1
    base_url: https://${HOST}
    api_key: ${COINW_API_KEY}
    secret_key: "pre$$${COINW_SECRET}"
    invitee_assets: {page_size: "${PS}", quotes: ["${QUOTE}"]}
)",
                 env);
  EXPECT_EQ(l.config.global.time_zone_offset_seconds, -(5 * 3600 + 30 * 60));
  const auto& a = l.config.accounts.at(0);
  EXPECT_EQ(a.name, "acct-1");
  EXPECT_EQ(a.base_url.text(), "https://api.example.com");
  EXPECT_EQ(a.api_key, kKey);
  EXPECT_EQ(a.secret_key, "pre$" + kSecret);
  EXPECT_EQ(a.invitee_assets.page_size, 250);
  EXPECT_EQ(a.invitee_assets.quotes, std::vector<std::string>{"usdc"});
}

TEST(ConfigLoad, UnsetVariablesNameKeyAndVariable) {
  auto p = problems_of(R"(accounts:
  - name: main
    api_key: ${COINW_API_KEY}
    secret_key: ${COINW_SECRET_KEY}
    invitee_assets: {quotes: ["${QUOTE}"]}
)",
                       env_of({{"UNRELATED", "x"}}));
  const std::vector<std::string> want = {
      "config.yml:3: accounts[0].api_key: environment variable COINW_API_KEY is not set",
      "config.yml:4: accounts[0].secret_key: environment variable COINW_SECRET_KEY is not set",
      "config.yml:5: accounts[0].invitee_assets.quotes[0]: environment variable QUOTE is not set",
  };
  EXPECT_EQ(p, want);
}

TEST(ConfigLoad, DescribeSummarisesWithoutSecrets) {
  auto l = parse(kMinimal + R"(    invitee_assets: {quotes: [usdt, usdc], page_size: 200, min_refresh_interval: 2m}
  - name: subs
    user: alice
    base_url: http://127.0.0.1:8790
    api_key: AK-second-0123456789
    secret_key: SK-second-0123456789
    invitee_assets: {enabled: false}
    sub_accounts: {min_refresh_interval: 45s, funds: {coins: [USDT, BTC], min_refresh_interval: 10m}}
)");
  EXPECT_EQ(l.config.accounts[1].user, "alice");
  const std::string d = describe(l.config);
  EXPECT_EQ(
      d,
      "2 accounts; nick_name masked; staleness_limit 15m\n"
      "account main: https://api.coinw.com direct (no HTTPS_PROXY in the environment); invitee_assets every 2m (quotes "
      "usdt,usdc, page_size 200, per-invitee series all); "
      "cost 300 requests/h per 1,000 invitees, so 18000/h (5/s) refreshes up to about 60000 invitees at these "
      "intervals; sub_accounts every 30s; api_keys every 5m; funds off\n"
      "account subs: http://127.0.0.1:8790 (user alice) direct (no HTTP_PROXY in the environment); invitee_assets off; "
      "sub_accounts every 45s; api_keys every 5m; funds USDT,BTC every 10m (cost 2 request(s) per sub-account a "
      "pass: at 3/s, at least 67s for 100 sub-accounts)\n");
  for (const std::string& secret :
       {kKey, kSecret, std::string("AK-second-0123456789"), std::string("SK-second-0123456789")})
    EXPECT_EQ(d.find(secret), std::string::npos);
  EXPECT_EQ(to_string(NickNamePolicy::full), "full");
  EXPECT_EQ(to_string(NickNamePolicy::none), "none");
}

}  // namespace
}  // namespace coinw::config

namespace coinw::config {
namespace {

TEST(ConfigFunnel, KeysAndDefaults) {
  auto l = parse(kMinimal +
                 "    invitee_registrations: {enabled: true, since: \"2024-02-29\", min_refresh_interval: 30m}\n"
                 "    invitee_trade_volume: {enabled: true, page_size: 200, closed_day_grace: 2h}\n");
  const auto& a = l.config.accounts.at(0);
  EXPECT_TRUE(a.invitee_registrations.enabled);
  EXPECT_EQ(a.invitee_registrations.since_day, parse_coinw_date("2024-02-29"));
  EXPECT_EQ(a.invitee_registrations.min_refresh_interval, std::chrono::minutes(30));
  EXPECT_EQ(a.invitee_trade_volume.page_size, 200);
  EXPECT_EQ(a.invitee_trade_volume.closed_day_grace, std::chrono::hours(2));
  EXPECT_EQ(a.invitee_trade_volume.open_day_refresh_interval, std::chrono::minutes(5));
  EXPECT_FALSE(parse(kMinimal).config.accounts.at(0).invitee_trade_volume.enabled) << "off by default";
}

TEST(ConfigFunnel, BadValuesNameTheKey) {
  auto p = problems_of(kMinimal + "    invitee_registrations: {since: \"2024-02-30\"}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("accounts[0].invitee_registrations.since: must be a date"), std::string::npos) << p[0];
  p = problems_of(kMinimal + "    invitee_trade_volume: {closed_day_grace: 200h}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("accounts[0].invitee_trade_volume.closed_day_grace"), std::string::npos) << p[0];
}

TEST(ConfigFunnel, VolumeWindowsAreWholeDaysInTheZone) {
  const std::string windows = "global: {time_zone: \"+08:00\"}\n" + kMinimal +
                              "    invitee_assets:\n      windows:\n"
                              "        - {name: q4, start: \"2026-10-01 00:00:00\", end: \"2026-12-31 23:59:59\"}\n"
                              "        - {name: half, start: \"2026-10-01 12:00:00\", end: \"2026-10-31 23:59:59\"}\n";
  EXPECT_EQ(parse(windows).config.accounts.at(0).invitee_assets.windows.size(), 2u)
      << "only the volume needs whole days";
  auto p = problems_of(windows + "    invitee_trade_volume: {enabled: true}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("window 'half' does not start at 00:00:00"), std::string::npos) << p[0];
  EXPECT_EQ(p[0].find("'q4'"), std::string::npos);
}

}  // namespace
}  // namespace coinw::config
