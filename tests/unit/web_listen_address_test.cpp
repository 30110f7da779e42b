#include <gtest/gtest.h>
#include <sys/resource.h>

#include "web/server.h"

namespace coinw::web {
namespace {

TEST(WebListenAddress, AcceptsExporterForms) {
  using P = std::pair<std::string, int>;
  EXPECT_EQ(parse_listen_address(":9866"), P("", 9866));
  EXPECT_EQ(parse_listen_address("127.0.0.1:9866"), P("127.0.0.1", 9866));
  EXPECT_EQ(parse_listen_address("localhost:80"), P("localhost", 80));
  EXPECT_EQ(parse_listen_address("[::1]:9866"), P("::1", 9866));
  EXPECT_EQ(parse_listen_address("[::]:0"), P("::", 0));
  EXPECT_EQ(parse_listen_address(":65535"), P("", 65535));
}

TEST(WebListenAddress, RejectsMalformed) {
  for (const char* bad :
       {"", "9866", ":", "127.0.0.1:", ":65536", ":-1", ":+80", ":98x", ":000009866", "::1:9866", "[::1]", "[::1:9866",
        "::1]:9866", "[]:9866", "[127.0.0.1]:80", "local host:80", " :80", ":80 "})
    EXPECT_FALSE(parse_listen_address(bad)) << bad;
}

// Every connection holds a descriptor, so the exporter starts with all it may have.
TEST(WebListenAddress, OpenFilesLimitIsRaisedToTheHardOne) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max < 512) GTEST_SKIP() << "hard limit " << saved.rlim_max;
  rlimit low = saved;
  low.rlim_cur = 256;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  EXPECT_EQ(raise_open_files_limit(), saved.rlim_max);
  rlimit now{};
  getrlimit(RLIMIT_NOFILE, &now);
  EXPECT_EQ(now.rlim_cur, saved.rlim_max);
  setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
}  // namespace coinw::web
