#pragma once
// The address of a CoinW API server, scheme://host[:port]. The configuration
// parses it once; the transport dials what it holds and never parses text.
#include <optional>
#include <string>
#include <string_view>

namespace coinw {

// The authority of a URL without userinfo: host[:port], an IPv6 literal in
// brackets. nullopt when malformed or the port is not 1-65535.
struct HostPort {
  std::string host;  // an IPv6 literal without brackets
  std::optional<int> port;
};
std::optional<HostPort> parse_host_port(std::string_view authority);
// localhost, 127.0.0.0/8 or ::1.
bool is_loopback_host(std::string_view host);

class BaseUrl {
 public:
  // Throws std::invalid_argument with the reason. Implicit, so that code and
  // tests can write a URL as text where one is expected.
  BaseUrl(std::string_view text);
  BaseUrl(const char* text) : BaseUrl(std::string_view(text)) {}
  BaseUrl(const std::string& text) : BaseUrl(std::string_view(text)) {}

  // An optional trailing "/" is allowed; the API paths are the client's. On
  // failure returns nullopt and sets `problem`.
  static std::optional<BaseUrl> parse(std::string_view text, std::string& problem);

  bool https() const { return https_; }
  const std::string& host() const { return host_; }  // an IPv6 literal without brackets
  int port() const { return port_ ? *port_ : https_ ? 443 : 80; }
  bool loopback() const;
  // scheme://host[:port] as written, without the trailing "/".
  std::string text() const;

  bool operator==(const BaseUrl&) const = default;

 private:
  BaseUrl() = default;
  bool https_ = true;
  std::string host_;
  std::optional<int> port_;
};

}  // namespace coinw
