#include "api/proxy_tunnel.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "api/signing.h"

namespace coinw::api {
namespace {

using std::chrono::milliseconds;

// Waits for `events` on `fd`; false on timeout, error or `stop`.
bool wait_for(int fd, short events, milliseconds timeout, const std::atomic<bool>& stop) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!stop) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    // In slices, so that a closing tunnel is not kept waiting.
    int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200)));
    if (n > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
    if (n < 0 && errno != EINTR) return false;
  }
  return false;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(-1); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// A thread that says when it is done, so that finished ones can be joined.
struct Worker {
  std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread;
};

}  // namespace

struct ProxyTunnel::Impl {
  Options o;
  Fd listener;
  int port = 0;
  std::atomic<bool> stop{false};
  mutable std::mutex mu;  // guards below
  Latest latest;
  std::list<Worker> workers;
  std::list<int> open;  // sockets to shut down on stop

  void record(State s, std::string failure = {}) {
    std::lock_guard lock(mu);
    latest.state = s;
    latest.failure = std::move(failure);
    if (s == State::connecting) ++latest.connections;
  }

  void track(int fd, bool add) {
    std::lock_guard lock(mu);
    if (add)
      open.push_back(fd);
    else
      open.remove(fd);
  }

  // A connection to the proxy within connect_timeout, or -1 with `why`.
  int dial(std::string& why) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(o.proxy.host.c_str(), std::to_string(o.proxy.port).c_str(), &hints, &found); rc != 0) {
      why = std::string("cannot resolve the proxy: ") + ::gai_strerror(rc);
      return -1;
    }
    why = "cannot connect to the proxy";
    int fd = -1;
    for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
      fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) continue;
      track(fd, true);
      int err = 0;
      socklen_t len = sizeof err;
      bool ok = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ||
                (errno == EINPROGRESS && wait_for(fd, POLLOUT, o.connect_timeout, stop) &&
                 ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0);
      if (!ok) {
        why = std::string("cannot connect to the proxy: ") + (err ? std::strerror(err) : "no answer in time");
        track(fd, false);
        ::close(fd);
        fd = -1;
      }
    }
    ::freeaddrinfo(found);
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
  }

  // Sends CONNECT and reads the proxy's answer up to its blank line; the
  // status, or 0 with `why`. `rest` receives any bytes after the blank line.
  int handshake(int fd, std::string& rest, std::string& why) {
    const std::string target =
        (o.host.find(':') == std::string::npos ? o.host : "[" + o.host + "]") + ":" + std::to_string(o.port);
    std::string request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
    if (!o.proxy.username.empty())
      request += "Proxy-Authorization: Basic " + base64(o.proxy.username + ":" + o.proxy.password) + "\r\n";
    if (!send_all(fd, request + "\r\n")) {
      why = "the proxy closed the connection";
      return 0;
    }
    std::string head;
    size_t end;
    while ((end = head.find("\r\n\r\n")) == std::string::npos) {
      char buf[4096];
      ssize_t n = 0;
      if (head.size() > 16384 || !wait_for(fd, POLLIN, o.read_timeout, stop) ||
          (n = ::recv(fd, buf, sizeof buf, 0)) <= 0) {
        why = n < 0 || head.size() > 16384 ? "no valid answer from the proxy to CONNECT"
                                           : "no answer from the proxy to CONNECT";
        return 0;
      }
      head.append(buf, static_cast<size_t>(n));
    }
    rest = head.substr(end + 4);
    // "HTTP/1.1 200 Connection established"
    if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12 || head[8] != ' ') {
      why = "no valid answer from the proxy to CONNECT";
      return 0;
    }
    return std::atoi(head.c_str() + 9);
  }

  // Bytes both ways until either side closes.
  void pump(int a, int b) {
    pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    char buf[16384];
    while (!stop) {
      int n = ::poll(p, 2, 200);
      if (n < 0 && errno != EINTR) return;
      for (int i = 0; i < 2 && n > 0; ++i) {
        if (!p[i].revents) continue;
        ssize_t got = ::recv(p[i].fd, buf, sizeof buf, 0);
        if (got <= 0 || !send_all(p[1 - i].fd, std::string_view(buf, static_cast<size_t>(got)))) return;
      }
    }
  }

  void serve(int client_fd) {
    Fd client(client_fd);
    record(State::connecting);
    std::string why, rest;
    Fd upstream(dial(why));
    int status = upstream.get() < 0 ? 0 : handshake(upstream.get(), rest, why);
    if (status / 100 == 2 && send_all(client.get(), rest)) {
      record(State::established);
      pump(client.get(), upstream.get());
    } else {
      record(State::failed, status ? "the proxy refused CONNECT: HTTP " + std::to_string(status) : why);
    }
    track(client.get(), false);
    if (upstream.get() >= 0) track(upstream.get(), false);
  }

  void accept_loop() {
    while (!stop) {
      if (!wait_for(listener.get(), POLLIN, milliseconds(200), stop)) continue;
      int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      track(fd, true);
      spawn([this, fd] { serve(fd); });
    }
  }

  template <class F>
  void spawn(F work) {
    std::lock_guard lock(mu);
    for (auto it = workers.begin(); it != workers.end();) {
      if (!*it->done) {
        ++it;
        continue;
      }
      it->thread.join();
      it = workers.erase(it);
    }
    Worker& w = workers.emplace_back();
    w.thread = std::thread([work, done = w.done] {
      work();
      *done = true;
    });
  }
};

ProxyTunnel::ProxyTunnel(Options options) : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.o = std::move(options);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot open a loopback port for the proxy tunnel");
  }
  im.listener.reset(fd);
  im.port = ntohs(addr.sin_port);
  im.spawn([&im] { im.accept_loop(); });
}

ProxyTunnel::~ProxyTunnel() {
  auto& im = *impl_;
  im.stop = true;
  {
    std::lock_guard lock(im.mu);
    for (int fd : im.open) ::shutdown(fd, SHUT_RDWR);
  }
  // Until the accept loop has ended, it may add a connection's worker.
  for (;;) {
    std::list<Worker> batch;
    {
      std::lock_guard lock(im.mu);
      batch.swap(im.workers);
    }
    if (batch.empty()) break;
    for (auto& w : batch) w.thread.join();
  }
}

int ProxyTunnel::port() const { return impl_->port; }

ProxyTunnel::Latest ProxyTunnel::latest() const {
  std::lock_guard lock(impl_->mu);
  return impl_->latest;
}

}  // namespace coinw::api
