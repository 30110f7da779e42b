#include <cctype>
#include <charconv>

#include "web/server.h"

namespace coinw::web {

std::optional<std::pair<std::string, int>> parse_listen_address(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = address.substr(0, colon);
  const std::string_view port_text = address.substr(colon + 1);
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) return std::nullopt;
    host = host.substr(1, host.size() - 2);
    if (host.find(':') == std::string_view::npos) return std::nullopt;
  } else if (host.find_first_of(":[]") != std::string_view::npos) {
    // An IPv6 address needs brackets, or its last group would read as the port.
    return std::nullopt;
  }
  if (host.find_first_of(" \t/") != std::string_view::npos) return std::nullopt;
  if (port_text.empty() || port_text.size() > 5) return std::nullopt;
  int port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) return std::nullopt;
  return std::pair{std::string(host), port};
}

}  // namespace coinw::web

namespace coinw::web {

std::string telemetry_path_problem(std::string_view path) {
  if (!path.starts_with('/') || path.size() < 2) return "must be an absolute path other than /, like /metrics";
  // Routes are regular expressions in httplib: plain characters keep the path literal.
  for (char c : path)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("/._-").find(c) == std::string_view::npos)
      return "may only contain letters, digits and / . _ -";
  for (std::string_view taken : {"/probe", "/runbook", "/-/healthy", "/-/ready", "/-/reload"})
    if (path == taken) return std::string(taken) + " is another endpoint";
  return "";
}

}  // namespace coinw::web
