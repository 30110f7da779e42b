// The mapping from configuration to the client's and transport's options, and
// the reload's rebuild decision that compares them.
#include "collect/client_settings.h"

#include <gtest/gtest.h>

namespace coinw::collect {
namespace {

using namespace std::chrono_literals;

config::Loaded parse(const std::string& yaml) {
  return config::parse_config(yaml, "config.yml", [](const std::string&) { return std::nullopt; });
}

const std::string kAccount = "accounts:\n  - {name: main, api_key: AK-0123456789, secret_key: SK-0123456789}\n";

TEST(ClientSettings, MapsEveryKey) {
  auto l = parse(kAccount + R"(global:
  time_zone: "+08:00"
  http: {connect_timeout: 3s, read_timeout: 7s}
  rate_limits: {invitee_assets_per_second: 4, futures_ip_per_second: 9, sub_account_list_per_second: 2,
                spot_ip_per_second: 50, spot_user_per_second: 60, safety_margin: 0, pause_after_rate_limit: 30500ms}
)");
  auto s = derive_client_settings(l.config.global, l.config.accounts[0]);
  const auto& o = s.client;
  EXPECT_EQ(o.time_zone_offset_seconds, 28800);
  EXPECT_EQ(o.limits.invitee_assets_per_s, 4);
  EXPECT_EQ(o.limits.futures_ip_per_s, 9);
  EXPECT_EQ(o.limits.sub_account_list_per_s, 2);
  EXPECT_EQ(o.limits.spot_ip_per_s, 50);
  EXPECT_EQ(o.limits.spot_user_per_s, 60);
  EXPECT_EQ(o.limits.margin, Duration(0));
  EXPECT_EQ(o.limits.pause, 31s);  // rounded up, never shorter than configured
  const auto& t = s.transport;
  EXPECT_EQ(t.base_url.text(), "https://api.coinw.com");
  EXPECT_EQ(t.ca_file, "");
  EXPECT_EQ(t.connect_timeout, 3s);
  EXPECT_EQ(t.read_timeout, 7s);
  EXPECT_TRUE(t.verify_tls);
}

TEST(ClientSettings, ConfigDefaultsAreTheClientDefaults) {
  auto l = parse(kAccount);
  auto s = derive_client_settings(l.config.global, l.config.accounts[0]);
  EXPECT_EQ(s.client, api::ClientOptions{});
  EXPECT_EQ(s.transport, api::TransportOptions{});
}

// Every global key that reaches the client or the transport forces a rebuild;
// the others (read at scrape time) do not.
TEST(ClientSettings, DifferWhenAGlobalKeyTheClientUsesChanges) {
  const auto base = derive_client_settings(parse(kAccount).config.global, parse(kAccount).config.accounts[0]);
  for (const char* global :
       {"{time_zone: '+01:00'}", "{http: {connect_timeout: 1s}}", "{http: {read_timeout: 1s}}",
        "{rate_limits: {invitee_assets_per_second: 1}}", "{rate_limits: {futures_ip_per_second: 1}}",
        "{rate_limits: {sub_account_list_per_second: 1}}", "{rate_limits: {spot_ip_per_second: 1}}",
        "{rate_limits: {spot_user_per_second: 1}}", "{rate_limits: {safety_margin: 1ms}}",
        "{rate_limits: {pause_after_rate_limit: 1m}}", "{http: {proxy_url: 'http://egress:3128'}}",
        "{http: {proxy_url: 'http://u:pw@egress:3128'}}"}) {
    auto l = parse(kAccount + "global: " + global + "\n");
    EXPECT_NE(derive_client_settings(l.config.global, l.config.accounts[0]), base) << global;
  }
  for (const char* global : {"{staleness_limit: 1m}", "{nick_name: full}", "{default_scrape_timeout: 20s}",
                             "{http: {no_proxy: 'example.org'}}"}) {
    auto l = parse(kAccount + "global: " + global + "\n");
    EXPECT_EQ(derive_client_settings(l.config.global, l.config.accounts[0]), base) << global;
  }
}

// The proxy reaches the transport as the configuration resolved it, also from
// the environment: a changed HTTPS_PROXY makes a reload rebuild the account.
TEST(ClientSettings, TheResolvedProxyReachesTheTransport) {
  auto with_env = [](std::string value) {
    auto l = config::parse_config(kAccount, "config.yml", [value](const std::string& n) -> std::optional<std::string> {
      if (n == "HTTPS_PROXY") return value;
      return std::nullopt;
    });
    return derive_client_settings(l.config.global, l.config.accounts[0]);
  };
  EXPECT_EQ(with_env("http://a:pw@egress:3128").transport.proxy, (Proxy{"egress", 3128, "a", "pw"}));
  EXPECT_NE(with_env("http://egress:3128"), with_env("http://egress:3129"));
  EXPECT_EQ(with_env("http://egress:3128"), with_env("egress:3128"));
}

}  // namespace
}  // namespace coinw::collect
