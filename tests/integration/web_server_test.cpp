// The web server over loopback: routing, compression, auth, errors, shutdown.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "exposition/body.h"
#include "log/log.h"
#include "support/bcrypt.h"
#include "support/gunzip.h"
#include "web/auth.h"
#include "web/server.h"

namespace coinw::web {
namespace {

using testing::bcrypt;

std::string exposition() {
  std::string body;
  for (int i = 0; i < 200; ++i) body += "coinw_balance{account=\"a" + std::to_string(i) + "\"} 1.5\n";
  return body;
}

class WebServerTest : public ::testing::Test {
 protected:
  void start(WebConfig cfg = {}) {
    Handlers h;
    h.metrics = [this](const ScrapeRequest& r) {
      std::lock_guard lock(mu_);
      last_ = r;
      if (throw_) throw std::runtime_error("boom");
      // As the exporter answers: shared parts, compressed when the client asked.
      exposition::BodyBuilder body(r.gzip);
      body.add(exposition::make_piece(exposition()));
      Response res;
      res.parts = std::move(body).finish();
      if (r.gzip) res.content_encoding = "gzip";
      return res;
    };
    h.landing_page = [] { return std::string("<html>coinw</html>"); };
    h.runbook = [] { return std::string("<html>runbook</html>"); };
    h.ready = [this] { return ready_.load(); };
    h.reload = [this] { return std::pair{reload_ok_.load(), std::string("bad config: line 3")}; };
    server_ = std::make_unique<WebServer>("127.0.0.1:0", std::move(cfg), std::move(h));
    server_->start();
    ASSERT_GT(server_->port(), 0);
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_decompress(false);
    return c;
  }
  ScrapeRequest last() {
    std::lock_guard lock(mu_);
    return last_;
  }

  std::unique_ptr<WebServer> server_;
  std::atomic<bool> ready_{true}, reload_ok_{true}, throw_{false};
  std::mutex mu_;
  ScrapeRequest last_;
};

TEST_F(WebServerTest, Endpoints) {
  start();
  auto c = client();
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), kMetricsContentType);
  EXPECT_EQ(r->body, exposition());

  r = c.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->body, "<html>coinw</html>");

  r = c.Get("/runbook");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->body, "<html>runbook</html>");

  r = c.Get("/-/healthy");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "OK\n");

  EXPECT_EQ(c.Get("/-/ready")->status, 200);
  ready_ = false;
  EXPECT_EQ(c.Get("/-/ready")->status, 503);

  r = c.Post("/-/reload");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  reload_ok_ = false;
  r = c.Post("/-/reload");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "bad config: line 3\n");
  r = c.Get("/-/reload");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "POST");

  EXPECT_EQ(c.Get("/probe?account=x")->status, 404) << "no probe handler";
  r = c.Get("/nope");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "Not Found\n");
  EXPECT_EQ(c.Post("/metrics")->status, 404);
}

TEST_F(WebServerTest, ProbeGetsQueryParameters) {
  Handlers h;
  std::map<std::string, std::string> seen;
  h.probe = [&](const ScrapeRequest& r) {
    seen = r.params;
    return text_response(200, "probed\n");
  };
  WebServer s("127.0.0.1:0", {}, std::move(h));
  s.start();
  httplib::Client c("127.0.0.1", s.port());
  auto r = c.Get("/probe?account=main%20one&account=second&x=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(seen, (std::map<std::string, std::string>{{"account", "main one"}, {"x", "1"}}));
}

TEST_F(WebServerTest, GzipOnlyWhenAsked) {
  start();
  auto c = client();
  auto r = c.Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  ASSERT_GE(r->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(r->body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(r->body[1]), 0x8b);
  EXPECT_LT(r->body.size(), exposition().size());
  EXPECT_EQ(coinw::testing::gunzip(r->body), exposition());

  r = c.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_header("Content-Encoding"));
  EXPECT_EQ(r->body, exposition());

  httplib::Client decoding("127.0.0.1", server_->port());
  r = decoding.Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, exposition()) << "the gzip stream must decode to the exposition";

  r = c.Get("/metrics", {{"Accept-Encoding", "gzip;q=0, identity"}});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_header("Content-Encoding")) << "gzip refused with q=0";
  EXPECT_EQ(r->body, exposition());
}

TEST_F(WebServerTest, PartsLargerThanSocketBuffersArriveWhole) {
  std::vector<std::shared_ptr<const std::string>> parts;
  std::string want;
  for (int i = 0; i < 4; ++i) {
    parts.push_back(std::make_shared<const std::string>(size_t(900000) + i, static_cast<char>('a' + i)));
    want += *parts.back();
  }
  std::atomic<int> sent{0};
  Handlers h;
  h.metrics = [&](const ScrapeRequest&) {
    Response r;
    r.parts = parts;
    r.on_sent = [&] { ++sent; };
    return r;
  };
  WebServer s("127.0.0.1:0", {}, std::move(h));
  s.start();
  httplib::Client c("127.0.0.1", s.port());
  for (int i = 0; i < 2; ++i) {
    auto r = c.Get("/metrics");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(want.size()));
    EXPECT_TRUE(r->body == want) << "body of " << r->body.size() << " bytes differs";
  }
  s.stop();
  EXPECT_EQ(sent.load(), 2) << "on_sent once per response, after its last byte";
}

TEST_F(WebServerTest, ARangeIsAnsweredWhole) {
  start();
  auto c = client();
  auto r = c.Get("/metrics", {{"Range", "bytes=10-29"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, exposition());
  r = c.Get("/metrics");  // the same connection: the answer before had the length it said
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, exposition());
}

TEST_F(WebServerTest, HandlerExceptionIs500AndServerSurvives) {
  start();
  auto c = client();
  throw_ = true;
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body.find("boom"), std::string::npos) << "internal messages stay in the log";
  throw_ = false;
  r = c.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(WebServerTest, ScrapeTimeoutHeader) {
  start();
  auto c = client();
  ASSERT_TRUE(c.Get("/metrics", {{"X-Prometheus-Scrape-Timeout-Seconds", "9.5"}}));
  EXPECT_EQ(last().timeout_seconds, 9.5);
  for (const char* bad : {"", "abc", "0", "-3", "inf", "nan", "1e999", "5s"}) {
    ASSERT_TRUE(c.Get("/metrics", {{"X-Prometheus-Scrape-Timeout-Seconds", bad}}));
    EXPECT_FALSE(last().timeout_seconds) << bad;
  }
  ASSERT_TRUE(c.Get("/metrics"));
  EXPECT_FALSE(last().timeout_seconds);
}

TEST_F(WebServerTest, ConfiguredHeadersOnEveryResponse) {
  WebConfig cfg;
  cfg.headers = {{"X-Frame-Options", "deny"}, {"X-Content-Type-Options", "nosniff"}};
  start(cfg);
  auto c = client();
  for (const char* path : {"/metrics", "/nope", "/-/healthy"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "deny") << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  }
}

TEST_F(WebServerTest, BasicAuth) {
  WebConfig cfg;
  cfg.basic_auth_users = {{"prometheus", bcrypt("scrape-me")}, {"other", bcrypt("x")}};
  cfg.headers = {{"X-Frame-Options", "deny"}};
  start(cfg);
  auto status = [&](const char* user, const char* pw, const char* path = "/metrics") {
    auto c = client();
    if (user) c.set_basic_auth(user, pw);
    auto r = c.Get(path);
    if (!r) return -1;
    if (r->status == 401) {
      EXPECT_EQ(r->get_header_value("WWW-Authenticate"), R"(Basic realm="coinw-exporter")");
      EXPECT_EQ(r->get_header_value("X-Frame-Options"), "deny");
    }
    return r->status;
  };
  EXPECT_EQ(status("prometheus", "scrape-me"), 200);
  EXPECT_EQ(status("prometheus", "wrong"), 401);
  EXPECT_EQ(status("nobody", "scrape-me"), 401);
  EXPECT_EQ(status(nullptr, nullptr), 401);
  EXPECT_EQ(status(nullptr, nullptr, "/-/healthy"), 401);
  EXPECT_EQ(status("prometheus", "scrape-me", "/-/healthy"), 200);

  const auto before = password_hash_count();
  EXPECT_EQ(status("prometheus", "scrape-me"), 200);
  EXPECT_EQ(status("prometheus", "scrape-me"), 200);
  EXPECT_EQ(password_hash_count(), before) << "verified credentials come from the cache";
  EXPECT_EQ(status("prometheus", "wrong"), 401);
  EXPECT_EQ(status("prometheus", "wrong"), 401);
  EXPECT_EQ(password_hash_count(), before + 2) << "failed attempts are not cached";
}

std::mutex g_log_mu;
std::vector<std::string> g_log_lines;

TEST_F(WebServerTest, DebugLogHasRequestsButNoCredentials) {
  WebConfig cfg;
  cfg.basic_auth_users = {{"prometheus", bcrypt("scrape-me")}};
  start(cfg);
  log::set_sink([](const std::string& line) {
    std::lock_guard lock(g_log_mu);
    g_log_lines.push_back(line);
  });
  log::configure(log::Level::debug, log::Format::logfmt);
  auto c = client();
  c.set_basic_auth("prometheus", "scrape-me");
  ASSERT_TRUE(c.Get("/metrics"));
  server_->stop();  // the logger runs after the reply is sent; stop() waits for it
  log::configure(log::Level::info, log::Format::logfmt);
  log::set_sink(nullptr);

  std::lock_guard lock(g_log_mu);
  bool logged = false;
  for (const auto& line : g_log_lines) {
    if (line.find("path=/metrics") != std::string::npos && line.find("status=200") != std::string::npos) logged = true;
    EXPECT_EQ(line.find("scrape-me"), std::string::npos) << line;
    EXPECT_EQ(line.find("cHJvbWV0aGV1czpzY3JhcGUtbWU"), std::string::npos) << line;  // base64 of the pair
    EXPECT_EQ(line.find("Authorization"), std::string::npos) << line;
  }
  EXPECT_TRUE(logged);
}

TEST_F(WebServerTest, AllInterfacesIncludesIpv4Loopback) {
  WebServer s(":0", {}, {});
  s.start();
  auto r = httplib::Client("127.0.0.1", s.port()).Get("/-/healthy");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(WebServerTest, ServesManyConcurrentScrapers) {
  start();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 200; ++i)
    threads.emplace_back([&] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_read_timeout(20);
      auto r = c.Get("/metrics");
      if (r && r->status == 200) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 200);
}

TEST_F(WebServerTest, StopIsIdempotentAndReleasesThePort) {
  start();
  const int port = server_->port();
  server_->stop();
  server_->stop();
  EXPECT_FALSE(httplib::Client("127.0.0.1", port).Get("/-/healthy"));
  WebServer again("127.0.0.1:" + std::to_string(port), {}, {});
  EXPECT_NO_THROW(again.start());
  EXPECT_EQ(again.port(), port);
  again.stop();
}

TEST_F(WebServerTest, StopLetsInFlightRequestsFinish) {
  Handlers h;
  std::atomic<bool> entered{false};
  h.metrics = [&](const ScrapeRequest&) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Response r;
    r.body = "done\n";
    return r;
  };
  WebServer s("127.0.0.1:0", {}, std::move(h));
  s.start();
  int status = 0;
  std::string body;
  std::thread scraper([&] {
    if (auto r = httplib::Client("127.0.0.1", s.port()).Get("/metrics")) {
      status = r->status;
      body = r->body;
    }
  });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  s.stop();
  scraper.join();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, "done\n");
}

TEST_F(WebServerTest, StartFailuresNameTheAddress) {
  start();
  const auto busy = "127.0.0.1:" + std::to_string(server_->port());
  WebServer second(busy, {}, {});
  try {
    second.start();
    FAIL() << "a busy port must be an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(busy), std::string::npos) << e.what();
  }
  WebServer bad("localhost", {}, {});
  EXPECT_THROW(bad.start(), std::runtime_error);
}

}  // namespace
}  // namespace coinw::web
