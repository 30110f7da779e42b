// The proxy URL and NO_PROXY, read as Go's net/http reads them, so one
// environment serves this exporter and the Go exporters beside it.
#include "common/proxy.h"

#include <gtest/gtest.h>

namespace coinw {
namespace {

Proxy parsed(std::string_view text, bool schemeless = false) {
  std::string problem;
  auto p = parse_proxy_url(text, schemeless, problem);
  EXPECT_TRUE(p) << text << ": " << problem;
  return p.value_or(Proxy{});
}

std::string problem_of(std::string_view text, bool schemeless = false) {
  std::string problem;
  EXPECT_FALSE(parse_proxy_url(text, schemeless, problem)) << text;
  return problem;
}

TEST(ProxyUrl, HostPortAndCredentials) {
  EXPECT_EQ(parsed("http://proxy.internal:3128"), (Proxy{"proxy.internal", 3128, "", ""}));
  EXPECT_EQ(parsed("HTTP://proxy.internal:3128/"), (Proxy{"proxy.internal", 3128, "", ""}));
  EXPECT_EQ(parsed("http://10.0.0.1"), (Proxy{"10.0.0.1", 80, "", ""})) << "Go's default port for http";
  EXPECT_EQ(parsed("http://[fd00::1]:8080"), (Proxy{"fd00::1", 8080, "", ""}));
  EXPECT_EQ(parsed("http://exporter@proxy:3128"), (Proxy{"proxy", 3128, "exporter", ""}));
  EXPECT_EQ(parsed("http://ex%40porter:p%3Aa%40ss@proxy:3128"), (Proxy{"proxy", 3128, "ex@porter", "p:a@ss"}));
  EXPECT_EQ(parsed("proxy.internal:3128", true), (Proxy{"proxy.internal", 3128, "", ""}))
      << "an environment value without scheme is http, as Go reads it";
}

TEST(ProxyUrl, RefusesWhatItCannotDialAndNeverEchoesTheText) {
  const std::string secret = "hunter2-0123456789";
  for (std::string text : {"socks5://u:" + secret + "@proxy:1080", "https://u:" + secret + "@proxy:443",
                           "http://u:" + secret + "@proxy:99999", "http://u:" + secret + "@proxy:3128/path",
                           "http://u:" + secret + "@proxy:3128?x=1", "http://u:" + secret + "@",
                           "http://:" + secret + "@proxy:3128", "http://u:" + secret + "%zz@proxy:3128",
                           "u:" + secret + "@proxy:3128", "http://u:" + secret + "@pro xy:3128"}) {
    const std::string problem = problem_of(text);
    EXPECT_FALSE(problem.empty()) << text;
    EXPECT_EQ(problem.find(secret), std::string::npos) << problem;
  }
  EXPECT_NE(problem_of("socks5://proxy:1080").find("unsupported scheme 'socks5'"), std::string::npos);
  EXPECT_NE(problem_of("https://proxy:443").find("only http:// proxies"), std::string::npos);
}

TEST(ProxyUrl, MaskedHidesThePasswordOnly) {
  EXPECT_EQ(Proxy{}.masked(), "direct");
  EXPECT_EQ((Proxy{"proxy", 3128, "", ""}).masked(), "http://proxy:3128");
  EXPECT_EQ((Proxy{"proxy", 3128, "exporter", "hunter2"}).masked(), "http://exporter:<secret>@proxy:3128");
  EXPECT_EQ((Proxy{"fd00::1", 8080, "", ""}).masked(), "http://[fd00::1]:8080");
}

TEST(NoProxy, GoRules) {
  struct Case {
    const char* no_proxy;
    const char* host;
    int port;
    bool bypass;
    const char* why;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", "api.coinw.com", 443, false, "empty"},
           {"*", "api.coinw.com", 443, true, "everything"},
           {"coinw.com", "api.coinw.com", 443, true, "a domain matches its subdomains"},
           {"coinw.com", "coinw.com", 443, true, "and itself"},
           {".coinw.com", "api.coinw.com", 443, true, "a leading dot: subdomains"},
           {".coinw.com", "coinw.com", 443, false, "only"},
           {"*.coinw.com", "api.coinw.com", 443, true, "*. as a leading dot"},
           {"coinw.com", "notcoinw.com", 443, false, "a suffix only at a dot"},
           {" internal , API.CoinW.com ", "api.coinw.com", 443, true, "spaces and case"},
           {"api.coinw.com:443", "api.coinw.com", 443, true, "with its port"},
           {"api.coinw.com:8443", "api.coinw.com", 443, false, "another port"},
           {"10.0.0.0/8", "10.1.2.3", 443, true, "a v4 block"},
           {"10.0.0.0/8", "11.1.2.3", 443, false, "outside it"},
           {"192.168.1.7", "192.168.1.7", 80, true, "an address"},
           {"192.168.1.7", "192.168.1.8", 80, false, "another one"},
           {"fd00::/8", "fd00::1", 443, true, "a v6 block"},
           {"[::1]:8790", "::1", 8790, true, "a bracketed v6 address with port"},
           {"10.0.0.0/8", "api.coinw.com", 443, false, "a block never matches a name"},
           {"10.0.0.0/40", "10.0.0.1", 443, false, "a malformed block matches nothing"},
       })
    EXPECT_EQ(no_proxy_matches(c.no_proxy, c.host, c.port), c.bypass) << c.no_proxy << " / " << c.host << ": " << c.why;
}

}  // namespace
}  // namespace coinw
