#include "common/base_url.h"

#include <cctype>
#include <stdexcept>

namespace coinw {
namespace {

std::optional<int> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  int port = std::stoi(std::string(s));
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

BaseUrl::BaseUrl(std::string_view text) {
  std::string problem;
  auto url = parse(text, problem);
  if (!url) throw std::invalid_argument("base URL " + problem);
  *this = std::move(*url);
}

std::optional<BaseUrl> BaseUrl::parse(std::string_view s, std::string& problem) {
  std::string_view scheme = s.starts_with("https://") ? "https" : s.starts_with("http://") ? "http" : "";
  if (scheme.empty()) {
    problem = "must start with https:// or http://, got '" + std::string(s) + "'";
    return std::nullopt;
  }
  std::string_view rest = s.substr(scheme.size() + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (end != std::string_view::npos && rest.substr(end) != "/") {
    problem = "must not have a path, query or fragment (the exporter adds the API paths), got '" + std::string(s) + "'";
    return std::nullopt;
  }
  auto host_port = parse_host_port(authority);
  if (!host_port) {
    problem = "must be scheme://host[:port], got '" + std::string(s) + "'";
    return std::nullopt;
  }
  BaseUrl url;
  url.https_ = scheme == "https";
  url.host_ = std::move(host_port->host);
  url.port_ = host_port->port;
  return url;
}

std::optional<HostPort> parse_host_port(std::string_view authority) {
  // An IPv6 literal is bracketed: "[::1]:8790".
  size_t host_end = authority.starts_with('[') ? authority.find(']') : authority.find(':');
  if (authority.starts_with('[') && host_end != std::string_view::npos) ++host_end;
  std::string_view host = authority.substr(0, host_end);
  std::string_view after_host = host_end == std::string_view::npos ? "" : authority.substr(host_end);
  std::optional<int> port;
  bool ok = !host.empty() && host.find_first_of("@ \t") == std::string_view::npos;
  if (ok && !after_host.empty()) ok = after_host[0] == ':' && (port = parse_port(after_host.substr(1)));
  if (host.starts_with('[')) {
    ok = ok && host.size() > 2 && host.back() == ']';
    host = host.substr(1, host.size() - 2);
  }
  if (!ok) return std::nullopt;
  return HostPort{std::string(host), port};
}

bool is_loopback_host(std::string_view host) {
  std::string lower;
  for (char c : host) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost" || lower == "::1") return true;
  return lower.starts_with("127.") && lower.find_first_not_of("0123456789.") == std::string::npos;
}

bool BaseUrl::loopback() const { return is_loopback_host(host_); }

std::string BaseUrl::text() const {
  std::string out = https_ ? "https://" : "http://";
  out += host_.find(':') == std::string::npos ? host_ : "[" + host_ + "]";
  if (port_) out += ":" + std::to_string(*port_);
  return out;
}

}  // namespace coinw
