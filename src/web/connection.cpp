#include "web/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace coinw::web {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr int kMaxIov = 64;

void address(const sockaddr_storage& a, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

Connection::Connection(int fd, SSL* ssl, const sockaddr_storage& peer) : fd_(fd), ssl_(ssl), peer_(peer) {}

Connection::~Connection() {
  if (ssl_) {
    // One attempt at close_notify; a client that does not read does not get it.
    ERR_clear_error();
    if (SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
    SSL_free(ssl_);
    ERR_clear_error();
  }
  ::close(fd_);
}

Connection::Io Connection::tls_error(int ret) {
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ: return Io::want_read;
    case SSL_ERROR_WANT_WRITE: return Io::want_write;
    default: return Io::closed;
  }
}

Connection::Io Connection::handshake() {
  if (!ssl_) return Io::done;
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  return r == 1 ? Io::done : tls_error(r);
}

void Connection::compact() {
  // Served bytes go once nothing is left to read; a long pipeline keeps its tail.
  if (in_pos_ == in_.size()) {
    // An idle connection keeps no buffer a large request once needed.
    if (in_.capacity() > kReadChunk) in_ = std::string();
    in_.clear();
    in_pos_ = 0;
  } else if (in_pos_ > kReadChunk) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
}

Connection::Io Connection::receive(size_t cap) {
  compact();
  char buf[kReadChunk];
  while (in_.size() - in_pos_ < cap) {
    long n;
    if (ssl_) {
      ERR_clear_error();
      n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) return tls_error(static_cast<int>(n));
    } else {
      n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Io::want_read;
      if (n <= 0) return Io::closed;
    }
    in_.append(buf, static_cast<size_t>(n));
  }
  return Io::done;
}

long Connection::read(char* out, size_t size, std::chrono::steady_clock::time_point deadline) {
  if (in_pos_ < in_.size()) {
    const size_t n = std::min(size, in_.size() - in_pos_);
    std::copy_n(in_.data() + in_pos_, n, out);
    in_pos_ += n;
    return static_cast<long>(n);
  }
  for (;;) {
    short wait = POLLIN;
    if (ssl_) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, out, static_cast<int>(std::min<size_t>(size, INT_MAX)));
      if (n > 0) return n;
      const Io io = tls_error(n);
      if (io == Io::closed) return SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
      if (io == Io::want_write) wait = POLLOUT;
    } else {
      const long n = ::recv(fd_, out, size, 0);
      if (n >= 0) return n;
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    pollfd p{fd_, wait, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), INT_MAX))) < 0 && errno != EINTR) return -1;
  }
}

void Connection::queue(std::string_view bytes) {
  if (bytes.empty()) return;
  if (!tail_copy_) {
    tail_copy_ = std::make_shared<std::string>();
    out_.push_back({tail_copy_, {}, {}});
  }
  tail_copy_->append(bytes);
  out_.back().bytes = *tail_copy_;  // the append may have moved it
}

void Connection::queue_shared(std::shared_ptr<const std::string> owner, std::string_view bytes) {
  if (bytes.empty()) return;
  tail_copy_.reset();
  out_.push_back({std::move(owner), bytes, {}});
}

void Connection::after_sent(std::function<void()> fn) {
  tail_copy_.reset();
  out_.push_back({nullptr, {}, std::move(fn)});
}

Connection::Io Connection::send() {
  tail_copy_.reset();  // the worker is done: nothing appends to a chunk being sent
  progressed_ = false;
  for (;;) {
    while (!out_.empty() && out_.front().bytes.empty()) {
      auto done = std::move(out_.front().done);
      out_.pop_front();
      if (done) done();
    }
    if (out_.empty()) return Io::done;
    const Io io = ssl_ ? send_tls() : send_plain();
    if (io != Io::done) return io;
  }
}

Connection::Io Connection::send_plain() {
  iovec iov[kMaxIov];
  int n = 0;
  for (auto it = out_.begin(); it != out_.end() && n < kMaxIov && !it->done; ++it, ++n)
    iov[n] = {const_cast<char*>(it->bytes.data()), it->bytes.size()};
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = static_cast<size_t>(n);
  long sent = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
  if (sent < 0) {
    if (errno == EINTR) return Io::done;
    return errno == EAGAIN || errno == EWOULDBLOCK ? Io::want_write : Io::closed;
  }
  progressed_ = progressed_ || sent > 0;
  for (auto it = out_.begin(); sent > 0; ++it) {
    const size_t used = std::min(static_cast<size_t>(sent), it->bytes.size());
    it->bytes.remove_prefix(used);
    sent -= static_cast<long>(used);
  }
  return Io::done;
}

Connection::Io Connection::send_tls() {
  auto& front = out_.front().bytes;
  ERR_clear_error();
  const int n = SSL_write(ssl_, front.data(), static_cast<int>(std::min<size_t>(front.size(), INT_MAX)));
  if (n <= 0) return tls_error(n);
  progressed_ = true;
  front.remove_prefix(static_cast<size_t>(n));
  return Io::done;
}

void Connection::abort() {
  const linger reset{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
}

void Connection::peer(std::string& ip, int& port) const { address(peer_, ip, port); }

void Connection::local(std::string& ip, int& port) const {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  ip.clear();
  port = 0;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address(a, ip, port);
}

}  // namespace coinw::web
