#pragma once
// Internal to the web module: the stage in front of the workers. One thread
// waits (epoll) on the listening sockets and every connection: it accepts,
// runs TLS handshakes, collects requests and sends answers, all without
// blocking, so an idle, half-sent or slowly reading connection costs a file
// descriptor and a few kilobytes, never a worker. A connection goes to a
// worker only once a whole request has arrived, and comes back with its answer
// queued. When descriptors or connection slots run out, the connection that
// has waited longest without progress makes room (idle, half-sent or not
// reading); with nothing to close, accepting pauses briefly instead of spinning.
// Under a backlog of whole requests, the newest and the oldest are served in
// turn.
#include <openssl/ssl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "web/connection.h"

namespace coinw::web {

struct StageLimits {
  // From accept, or from the first byte of a later request, to a whole request.
  std::chrono::milliseconds header_timeout{10000};
  // A kept-alive connection waiting for its next request.
  std::chrono::milliseconds idle_timeout{60000};
  // An answer whose sending makes no progress.
  std::chrono::milliseconds write_timeout{30000};
  // After stop(): how long answers already queued may take to leave.
  std::chrono::milliseconds stop_grace{5000};
  size_t max_head = 64 * 1024;
  size_t max_body = 64 * 1024;
  size_t workers = 64;
  size_t max_requests_per_connection = 100;
  // Connections open at once; 0: the open-files limit less a reserve for the
  // rest of the process (CoinW connections, state files).
  size_t max_connections = 0;
};

class ConnectionStage {
 public:
  // Runs on a worker once `c` holds a whole request; `last`: the answer must
  // close the connection. Returns whether the connection may carry another.
  using Serve = std::function<bool(Connection& c, bool last)>;
  // A TLS session for a new connection (null refuses it); unset: plain HTTP.
  using NewSession = std::function<SSL*()>;

  // Takes the listening sockets (non-blocking, listening).
  ConnectionStage(std::vector<int> listeners, StageLimits limits, NewSession tls, Serve serve);
  ~ConnectionStage();
  ConnectionStage(const ConnectionStage&) = delete;
  ConnectionStage& operator=(const ConnectionStage&) = delete;

  void start();
  // Closes the listening sockets and waiting connections, lets requests being
  // served finish and their answers leave (up to stop_grace), then returns.
  void stop();
  size_t max_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coinw::web
