#pragma once
// Internal to the web module: listening sockets.
#include <string>

namespace coinw::web {

// A non-blocking socket listening on host:port (port 0: any free port), with
// SO_REUSEADDR but not SO_REUSEPORT, so that a second exporter cannot share the
// port silently; "::" takes IPv4 too. -1 and `error` on failure.
int open_listener(const std::string& host, int port, std::string& error);
// The port a listening socket is bound to; -1 when unknown.
int bound_port(int fd);

}  // namespace coinw::web
