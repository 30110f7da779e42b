#pragma once
// Plain loopback sockets for tests that open many connections and misbehave on
// purpose (half-sent requests, answers never read), and the open-files limit
// they need.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

namespace coinw::testing {

// Connects a socket made beforehand (when no descriptor may be left to make one).
inline bool connect_to(int fd, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

// A blocking socket connected to 127.0.0.1:port, or -1.
inline int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0 && connect_to(fd, port)) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

inline bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// What arrives until the peer closes or stays silent for `silence`.
inline std::string receive_all(int fd, std::chrono::milliseconds silence = std::chrono::seconds(30)) {
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(silence.count())) <= 0) return out;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

// Reads until `count` answers of `body_size` bytes each (and their heads) are in.
inline std::string receive_answers(int fd, size_t count, size_t body_size,
                                   std::chrono::milliseconds silence = std::chrono::seconds(30)) {
  std::string out;
  char buf[64 * 1024];
  auto whole = [&] {
    size_t pos = 0;
    for (size_t i = 0; i < count; ++i) {
      const size_t end = out.find("\r\n\r\n", pos);
      if (end == std::string::npos || out.size() < end + 4 + body_size) return false;
      pos = end + 4 + body_size;
    }
    return true;
  };
  while (!whole()) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(silence.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Whether the peer closed the connection (end of stream or reset) within `wait`,
// reading and dropping whatever it sent before.
inline bool closed_by_peer(int fd, std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  char buf[64 * 1024];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    if (::recv(fd, buf, sizeof buf, 0) <= 0) return true;
  }
}

// Raises this process's soft open-files limit to at least `want` (up to the
// hard limit); returns the limit now in force.
inline rlim_t raise_open_files(rlim_t want) {
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < want) {
    r.rlim_cur = std::min(want, r.rlim_max);
    setrlimit(RLIMIT_NOFILE, &r);
  }
  return r.rlim_cur;
}

}  // namespace coinw::testing
