// The typed base URL: parsed once (by the configuration), dialled as is by the transport.
#include "common/base_url.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace coinw {
namespace {

TEST(BaseUrl, ReadsSchemeHostAndPort) {
  BaseUrl a("https://api.coinw.com/");
  EXPECT_TRUE(a.https());
  EXPECT_EQ(a.host(), "api.coinw.com");
  EXPECT_EQ(a.port(), 443);
  EXPECT_EQ(a.text(), "https://api.coinw.com");
  BaseUrl b("http://[::1]:8790");
  EXPECT_FALSE(b.https());
  EXPECT_EQ(b.host(), "::1");
  EXPECT_EQ(b.port(), 8790);
  EXPECT_EQ(b.text(), "http://[::1]:8790");
  EXPECT_EQ(BaseUrl("http://example.com").port(), 80);
  EXPECT_EQ(BaseUrl("https://api.coinw.com"), BaseUrl("https://api.coinw.com/"));
  EXPECT_NE(BaseUrl("https://api.coinw.com"), BaseUrl("https://api.coinw.com:443"));
}

TEST(BaseUrl, RejectsWhatTheTransportCouldNotDial) {
  for (const char* u :
       {"api.coinw.com", "ftp://x", "https://x/path", "https://x/?q", "https://x#f", "http://x:0", "http://x:99999",
        "http://x:", "http://x:8a", "http://:80", "http://[::1", "http://[]:80", "http://user@x", "http:// x", ""}) {
    std::string problem;
    EXPECT_FALSE(BaseUrl::parse(u, problem)) << u;
    EXPECT_NE(problem.find(u), std::string::npos) << "the problem names the input: " << problem;
    EXPECT_THROW(BaseUrl{u}, std::invalid_argument) << u;
  }
}

TEST(BaseUrl, KnowsLoopbackHosts) {
  for (const char* u :
       {"http://localhost:1", "http://LOCALHOST", "http://127.0.0.1", "http://127.1.2.3:80", "http://[::1]"})
    EXPECT_TRUE(BaseUrl(u).loopback()) << u;
  for (const char* u : {"http://10.0.0.1", "http://127.example.com", "https://api.coinw.com", "http://[::2]"})
    EXPECT_FALSE(BaseUrl(u).loopback()) << u;
}

}  // namespace
}  // namespace coinw
