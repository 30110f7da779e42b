#include "config/base_url.h"

#include <cctype>

namespace coinw::config::detail {
namespace {

bool is_loopback(std::string_view host) {
  std::string lower;
  for (char c : host) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost" || lower == "[::1]") return true;
  return lower.starts_with("127.") && lower.find_first_not_of("0123456789.") == std::string::npos;
}

std::optional<int> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  int port = std::stoi(std::string(s));
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::optional<BaseUrl> check_base_url(std::string_view s, std::string& problem) {
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
  // An IPv6 literal keeps its brackets: "[::1]:8790".
  size_t host_end = authority.starts_with('[') ? authority.find(']') : authority.find(':');
  if (authority.starts_with('[') && host_end != std::string_view::npos) ++host_end;
  std::string_view host = authority.substr(0, host_end);
  std::string_view after_host = host_end == std::string_view::npos ? "" : authority.substr(host_end);
  bool ok = !host.empty() && host.find_first_of("@ \t") == std::string_view::npos &&
            (after_host.empty() || (after_host[0] == ':' && parse_port(after_host.substr(1))));
  if (host.starts_with('[')) ok = ok && host.size() > 2 && host.back() == ']';
  if (!ok) {
    problem = "must be scheme://host[:port], got '" + std::string(s) + "'";
    return std::nullopt;
  }
  return BaseUrl{std::string(scheme) + "://" + std::string(authority), scheme == "http" && !is_loopback(host)};
}

}  // namespace coinw::config::detail
