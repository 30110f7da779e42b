#pragma once
// An outbound HTTP proxy: what the configuration resolves for each account and
// the transport dials (CONNECT for https). Pure: parsing and NO_PROXY matching.
#include <optional>
#include <string>
#include <string_view>

namespace coinw {

struct Proxy {
  std::string host;  // empty: direct; an IPv6 literal without brackets
  int port = 0;
  std::string username, password;  // basic auth when username is set; the password is a secret
  bool enabled() const { return !host.empty(); }
  // "http://user:<secret>@host:port", or "direct": safe to print.
  std::string masked() const;
  bool operator==(const Proxy&) const = default;
};

// http://[user[:password]@]host[:port][/], user and password percent-decoded,
// port 80 by default (as Go's). `schemeless_is_http`: an environment value may
// omit the scheme, as Go reads it. On failure returns nullopt and sets
// `problem`, which never repeats the text (it may hold a password).
std::optional<Proxy> parse_proxy_url(std::string_view text, bool schemeless_is_http, std::string& problem);

// NO_PROXY as Go reads it: comma-separated entries, "*" for every host; an
// entry is an IP address, a CIDR block, or a domain that matches itself and its
// subdomains (with a leading "." or "*.", only its subdomains); each may end in
// ":port". Case-insensitive.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host, int port);

}  // namespace coinw
