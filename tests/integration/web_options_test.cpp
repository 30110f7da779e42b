// ServerOptions: several listen addresses, the telemetry path, --web.max-requests.
#include <gtest/gtest.h>
#include <httplib.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "web/server.h"

namespace coinw::web {
namespace {

ServerOptions options(std::vector<std::string> addresses, std::string telemetry_path = "/metrics",
                      int max_requests = 0) {
  return ServerOptions{std::move(addresses), std::move(telemetry_path), max_requests, ""};
}

Response metrics_text(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

Handlers metrics_only(std::function<Response(const ScrapeRequest&)> metrics) {
  Handlers h;
  h.metrics = std::move(metrics);
  h.probe = [](const ScrapeRequest&) { return text_response(200, "probed\n"); };
  h.landing_page = [] { return std::string("home"); };
  return h;
}

TEST(WebOptions, ServesEveryListenAddress) {
  WebServer s(options({"127.0.0.1:0", "[::1]:0", "127.0.0.1:0"}), {},
              metrics_only([](const ScrapeRequest&) { return metrics_text("m 1\n"); }));
  s.start();
  const auto ports = s.ports();
  ASSERT_EQ(ports.size(), 3u);
  EXPECT_NE(ports[0], ports[2]);
  for (const auto& [host, port] : {std::pair{"127.0.0.1", ports[0]}, {"::1", ports[1]}, {"127.0.0.1", ports[2]}}) {
    httplib::Client c(host, port);
    auto r = c.Get("/metrics");
    ASSERT_TRUE(r) << host << ":" << port;
    EXPECT_EQ(r->body, "m 1\n");
  }
  s.stop();
  EXPECT_TRUE(s.ports().empty());
}

TEST(WebOptions, OneBadAddressServesNothing) {
  WebServer s(options({"127.0.0.1:0", "nonsense"}), {}, metrics_only([](const ScrapeRequest&) { return Response{}; }));
  try {
    s.start();
    ADD_FAILURE() << "started";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "invalid listen address \"nonsense\"");
  }
  EXPECT_EQ(s.port(), -1);
}

TEST(WebOptions, TelemetryPathMovesTheMetrics) {
  WebServer s(options({"127.0.0.1:0"}, "/x/metrics.txt"), {},
              metrics_only([](const ScrapeRequest&) { return metrics_text("m 1\n"); }));
  s.start();
  httplib::Client c("127.0.0.1", s.port());
  EXPECT_EQ(c.Get("/x/metrics.txt")->body, "m 1\n");
  EXPECT_EQ(c.Get("/metrics")->status, 404);
  EXPECT_EQ(c.Get("/x/metricsXtxt")->status, 404) << "the dot is literal";
  EXPECT_EQ(c.Get("/probe")->status, 200);

  WebServer bad(options({"127.0.0.1:0"}, "/probe"), {}, {});
  EXPECT_THROW(bad.start(), std::runtime_error);
}

TEST(WebOptions, TelemetryPathProblems) {
  EXPECT_EQ(telemetry_path_problem("/metrics"), "");
  EXPECT_EQ(telemetry_path_problem("/a/b-c_d.e"), "");
  EXPECT_NE(telemetry_path_problem("/"), "");
  EXPECT_NE(telemetry_path_problem(""), "");
  EXPECT_NE(telemetry_path_problem("/a b"), "");
  EXPECT_NE(telemetry_path_problem("/a?b"), "");
  EXPECT_NE(telemetry_path_problem("/-/reload"), "");
  EXPECT_NE(telemetry_path_problem("/runbook"), "");
}

// Scrapes beyond --web.max-requests answer 503 at once; other endpoints still work.
TEST(WebOptions, MaxRequestsTurnsAwayTheExtraScrape) {
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  bool release = false;
  WebServer s(options({"127.0.0.1:0"}, "/metrics", 2), {}, metrics_only([&](const ScrapeRequest&) {
                std::unique_lock lock(mu);
                ++inside;
                cv.notify_all();
                cv.wait(lock, [&] { return release; });
                return metrics_text("m 1\n");
              }));
  s.start();
  auto scrape = [&](const char* path) {
    httplib::Client c("127.0.0.1", s.port());
    auto r = c.Get(path);
    return r ? r->status : -1;
  };
  auto first = std::async(std::launch::async, scrape, "/metrics");
  auto second = std::async(std::launch::async, scrape, "/metrics");
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return inside == 2; });
  }
  httplib::Client c("127.0.0.1", s.port());
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "Limit of concurrent requests reached (2), try again later.\n");
  EXPECT_EQ(c.Get("/probe")->status, 503) << "/probe is a scrape too";
  EXPECT_EQ(c.Get("/")->status, 200);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  EXPECT_EQ(first.get(), 200);
  EXPECT_EQ(second.get(), 200);
  EXPECT_EQ(scrape("/metrics"), 200) << "slots are given back";
}

}  // namespace
}  // namespace coinw::web
