#pragma once
// One HTTP exchange over a plain socket, byte for byte as given: for requests
// that ordinary clients will not send (no Content-Length on a POST).
#include <string>

#include "support/loopback.h"

namespace coinw::testing {

// The raw answer (status line, headers, body) up to the point the server closes
// the connection or stays silent for 10 s; "" when the connection fails.
inline std::string raw_http(int port, const std::string& request) {
  const int fd = connect_loopback(port);
  if (fd < 0) return "";
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (send_all(fd, request)) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace coinw::testing
