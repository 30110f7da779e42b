#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "api/transport.h"

namespace coinw::api {
namespace {

using namespace std::chrono_literals;

TransportOptions at(std::string url) {
  TransportOptions o;
  o.base_url = std::move(url);
  return o;
}

// A loopback peer recording what arrives, with a few misbehaving routes.
class Peer {
 public:
  Peer() {
    server_.Get("/echo", [this](const httplib::Request& req, httplib::Response& res) {
      target = req.target;
      api_key = req.get_header_value("api_key");
      res.set_content(R"({"code":"0"})", "application/json");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(1500ms);
      res.set_content("late", "text/plain");
    });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(4096, 'x'), "text/plain");
    });
    server_.Get("/limited", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "42");
    });
    port = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost and join() would hang.
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~Peer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  int port = 0;
  std::string target, api_key;

 private:
  httplib::Server server_;
  std::thread thread_;
};

TEST(HttpTransport, SendsTheEncodedQueryInOrderWithHeaders) {
  Peer peer;
  auto t = make_http_transport(at(peer.url()));
  HttpRequest r{"GET", "/echo", {{"startTime", "2024-01-01 00:00:00"}, {"a", "b&c"}}, {{"api_key", "k"}}, ""};
  auto res = t->send(r);
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res.value().status, 200);
  EXPECT_EQ(peer.target, "/echo?startTime=2024-01-01%2000%3A00%3A00&a=b%26c");
  EXPECT_EQ(peer.api_key, "k");
}

TEST(HttpTransport, HttpErrorStatusIsAResponseWithRetryAfter) {
  Peer peer;
  auto res = make_http_transport(at(peer.url()))->send({"GET", "/limited", {}, {}, ""});
  ASSERT_TRUE(res);
  EXPECT_EQ(res.value().status, 429);
  EXPECT_EQ(res.value().retry_after, "42");
}

TEST(HttpTransport, ReadTimeoutIsClassifiedAsTimeout) {
  Peer peer;
  TransportOptions o = at(peer.url());
  o.read_timeout = 300ms;
  auto res = make_http_transport(o)->send({"GET", "/slow", {}, {}, ""});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().reason, FailureReason::timeout);
}

TEST(HttpTransport, RefusedConnectionIsNetwork) {
  int port;
  {
    Peer peer;  // take a free port, then close it
    port = peer.port;
  }
  auto res = make_http_transport(at("http://127.0.0.1:" + std::to_string(port)))->send({"GET", "/", {}, {}, ""});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().reason, FailureReason::network);
}

TEST(HttpTransport, OversizedBodyIsRefused) {
  Peer peer;
  TransportOptions o = at(peer.url());
  o.max_body_bytes = 1024;
  auto res = make_http_transport(o)->send({"GET", "/big", {}, {}, ""});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().reason, FailureReason::malformed_response);
}

// A peer that answers `answered` requests on each connection and closes it on
// the next without answering: what a server's idle timeout does to a request
// that arrives as it fires.
class Closer {
 public:
  explicit Closer(int answered) : answered_(answered) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 8) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      ADD_FAILURE() << "cannot listen";
    port = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Closer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  int port = 0;
  std::atomic<int> connections{0};

 private:
  void run() {
    for (int c; (c = ::accept(fd_, nullptr, nullptr)) >= 0; ::close(c)) {
      ++connections;
      for (int served = 0;; ++served) {
        std::string in;
        char buf[1024];
        for (ssize_t n; in.find("\r\n\r\n") == std::string::npos && (n = ::recv(c, buf, sizeof buf, 0)) > 0;)
          in.append(buf, static_cast<size_t>(n));
        if (served == answered_ || in.empty()) break;
        const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"code\":\"0\"}";
        ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
      }
    }
  }
  int fd_;
  const int answered_;
  std::thread thread_;
};

TEST(HttpTransport, AKeptAliveConnectionClosedUnderARequestIsStale) {
  Closer peer(1);
  auto t = make_http_transport(at(peer.url()));
  const HttpRequest r{"GET", "/", {}, {}, ""};
  ASSERT_TRUE(t->send(r));
  auto res = t->send(r);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().reason, FailureReason::network);
  EXPECT_TRUE(res.error().stale_connection) << res.error().message;
  EXPECT_TRUE(t->send(r)) << "on a new connection";
  EXPECT_EQ(peer.connections, 2);
}

TEST(HttpTransport, ANewConnectionClosedUnderARequestIsAFailure) {
  Closer peer(0);
  auto res = make_http_transport(at(peer.url()))->send({"GET", "/", {}, {}, ""});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().reason, FailureReason::network);
  EXPECT_FALSE(res.error().stale_connection);
}

}  // namespace
}  // namespace coinw::api
