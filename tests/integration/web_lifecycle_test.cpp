// /-/reload as Prometheus users call it, and the lifecycle switch.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

#include "support/raw_http.h"
#include "web/server.h"

namespace coinw::web {
namespace {

using testing::raw_http;

class ReloadTest : public ::testing::Test {
 protected:
  void start(bool lifecycle = true) {
    Handlers h;
    if (lifecycle) h.reload = [this] { return std::pair{++reloads_ > 0, std::string()}; };
    server_ = std::make_unique<WebServer>("127.0.0.1:0", WebConfig{}, std::move(h));
    server_->start();
  }
  std::string post(const std::string& headers_and_body) {
    return raw_http(server_->port(), "POST /-/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers_and_body);
  }

  std::atomic<int> reloads_{0};
  std::unique_ptr<WebServer> server_;
};

// `curl -X POST URL/-/reload` sends neither Content-Length nor a body.
TEST_F(ReloadTest, PostWithoutContentLengthReloads) {
  start();
  const auto answer = post("\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 ")) << answer;
  EXPECT_TRUE(answer.ends_with("\r\n\r\nOK\n")) << answer;
  EXPECT_EQ(reloads_, 1);
}

TEST_F(ReloadTest, BodyIsIgnoredAndKeepAliveStaysInStep) {
  start();
  EXPECT_TRUE(post("Content-Length: 5\r\n\r\nhello").starts_with("HTTP/1.1 200 "));
  EXPECT_TRUE(post("Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").starts_with("HTTP/1.1 200 "));
  // One kept-alive connection: a body left unread would be taken for the next request.
  httplib::Client c("127.0.0.1", server_->port());
  c.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto r = c.Post("/-/reload", "a body nobody reads", "text/plain");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(reloads_, 5);
}

// Without --web.enable-lifecycle the exporter passes no reload handler.
TEST_F(ReloadTest, WithoutLifecycleReloadIsForbidden) {
  start(false);
  const auto answer = post("Content-Length: 0\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 403 ")) << answer;
  EXPECT_TRUE(answer.ends_with("\r\n\r\nLifecycle API is not enabled.\n")) << answer;
}

}  // namespace
}  // namespace coinw::web
