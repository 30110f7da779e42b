#pragma once
// A CONNECT tunnel through an http:// proxy, offered to the TLS client on a
// loopback port: the client speaks TLS to CoinW through it, end to end. Ours,
// not httplib's: httplib 0.11 (Debian 12) deadlocks when a proxy refuses
// CONNECT with `Connection: close` (cpp-httplib #1590, fixed in 0.13) and sends
// the proxy's credentials through the tunnel to the origin (#2579).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/proxy.h"

namespace coinw::api {

class ProxyTunnel {
 public:
  struct Options {
    Proxy proxy;
    std::string host;  // what to CONNECT to
    int port = 443;
    std::chrono::milliseconds connect_timeout{5000}, read_timeout{10000};
  };
  // Throws std::runtime_error when no loopback port can be had.
  explicit ProxyTunnel(Options options);
  ~ProxyTunnel();  // closes every connection and waits for them
  ProxyTunnel(const ProxyTunnel&) = delete;
  ProxyTunnel& operator=(const ProxyTunnel&) = delete;

  int port() const;

  // How the latest connection through the tunnel fared: established (the
  // proxy answered CONNECT with 2xx), failed (why, never with credentials),
  // or still waiting for the proxy.
  enum class State { none, connecting, established, failed };
  struct Latest {
    State state = State::none;
    std::string failure;
    uint64_t connections = 0;  // accepted so far, this one included
  };
  Latest latest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coinw::api
