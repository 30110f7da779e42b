// The web server while far more connections than it has workers misbehave:
// half-sent requests, answers never read, TLS connections that never say
// hello. A scrape is still answered (issue 22: 64 such connections used to
// stop every scrape). Behaviour only; bench/flood.py measures the latency.
#include <gtest/gtest.h>
#include <httplib.h>
#include <malloc.h>

#include <vector>

#include "support/bcrypt.h"
#include "support/loopback.h"
#include "support/test_ca.h"
#include "web/server.h"

namespace coinw::web {
namespace {

using testing::connect_loopback;
using testing::send_all;

constexpr int kConnections = 300;  // well over the 64 workers

struct Sockets {
  std::vector<int> fds;
  Sockets() { testing::raise_open_files(4 * kConnections + 256); }
  ~Sockets() {
    for (int fd : fds) ::close(fd);
  }
  void open(int port, int n, std::string_view send, int receive_buffer = 0) {
    for (int i = 0; i < n; ++i) {
      const int fd = connect_loopback(port);
      ASSERT_GE(fd, 0) << "connection " << i;
      if (receive_buffer) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
      if (!send.empty()) {
        ASSERT_TRUE(send_all(fd, send));
      }
      fds.push_back(fd);
    }
  }
};

// Shared parts, as the exporter answers: `size` bytes in all.
Handlers metrics_of(size_t size) {
  auto body = std::make_shared<const std::string>(size, 'x');
  Handlers h;
  h.metrics = [body](const ScrapeRequest&) {
    Response r;
    r.parts = {std::make_shared<const std::string>("# scrape\n"), body};
    return r;
  };
  return h;
}

httplib::Result scrape(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(30);
  c.set_read_timeout(60);
  return c.Get("/metrics");
}

TEST(WebFlood, HalfSentRequestsDoNotStopAScrape) {
  WebServer s("127.0.0.1:0", {}, metrics_of(1000));
  s.start();
  Sockets half;
  half.open(s.port(), kConnections, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
  auto r = scrape(s.port());
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), 1009u);
}

TEST(WebFlood, HalfSentRequestsDoNotStopAScrapeBehindBasicAuth) {
  WebConfig cfg;
  cfg.basic_auth_users = {{"prometheus", testing::bcrypt("scrape-me")}};
  WebServer s("127.0.0.1:0", cfg, metrics_of(1000));
  s.start();
  Sockets half;
  half.open(s.port(), kConnections, "GET /metrics HTTP/1.1\r\nAuthorization: Basic ");
  httplib::Client c("127.0.0.1", s.port());
  c.set_read_timeout(60);
  c.set_basic_auth("prometheus", "scrape-me");
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
}

TEST(WebFlood, ClientsThatDoNotReadDoNotStopAScrapeNorCopyTheBody) {
  constexpr size_t kBody = size_t(4) << 20;
  constexpr int kReaders = 100;
  WebServer s("127.0.0.1:0", {}, metrics_of(kBody));
  s.start();
  ASSERT_TRUE(scrape(s.port()));  // first-use allocations out of the way
  const size_t heap_before = mallinfo2().uordblks;
  Sockets readers;
  readers.open(s.port(), kReaders, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
  auto r = scrape(s.port());
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), kBody + 9);
  // A copy per reader would be 400 MB; what they hold is the one body.
  EXPECT_LT(mallinfo2().uordblks, heap_before + 10 * kBody);
}

TEST(WebFlood, TlsConnectionsThatNeverSayHelloDoNotStopAScrape) {
  testing::TestCa ca;
  WebConfig cfg;
  cfg.cert_file = ca.cert_file();
  cfg.key_file = ca.key_file();
  WebServer s("127.0.0.1:0", cfg, metrics_of(1000));
  s.start();
  Sockets silent;
  silent.open(s.port(), kConnections, "");
  silent.open(s.port(), kConnections / 3, std::string_view("\x16\x03\x01\x02\x00", 5));  // a hello cut short
  httplib::SSLClient c("127.0.0.1", s.port());
  c.set_ca_cert_path(ca.ca_file().c_str());
  c.enable_server_certificate_verification(true);
  c.set_read_timeout(60);
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), 1009u);
}

}  // namespace
}  // namespace coinw::web
