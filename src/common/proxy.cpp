#include "common/proxy.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

#include "common/base_url.h"

namespace coinw {
namespace {

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    unsigned v = 0;
    if (i + 2 >= s.size()) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (ec != std::errc() || end != s.data() + i + 3) return std::nullopt;
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

// An address as 16 bytes (IPv4 mapped into IPv6), so one compare serves both.
std::optional<std::array<unsigned char, 16>> ip_bytes(std::string_view text) {
  const std::string s(text);
  std::array<unsigned char, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool same_prefix(const std::array<unsigned char, 16>& a, const std::array<unsigned char, 16>& b, int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

// One NO_PROXY entry against a lower-case host.
bool entry_matches(std::string_view entry, const std::string& host, int port) {
  if (auto slash = entry.find('/'); slash != std::string_view::npos) {
    auto net = ip_bytes(entry.substr(0, slash));
    auto ip = ip_bytes(host);
    int bits = -1;
    auto len = entry.substr(slash + 1);
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), bits);
    if (!net || !ip || ec != std::errc() || end != len.data() + len.size()) return false;
    const bool v4 = entry.substr(0, slash).find(':') == std::string_view::npos;
    if (bits < 0 || bits > (v4 ? 32 : 128)) return false;
    return same_prefix(*net, *ip, v4 ? bits + 96 : bits);
  }
  std::string_view name = entry;
  if (auto hp = parse_host_port(entry); hp && hp->port) {
    if (*hp->port != port) return false;
    name = entry.substr(0, entry.rfind(':'));
    if (name.starts_with('[')) name = name.substr(1, name.size() - 2);
  } else if (name.starts_with('[') && name.ends_with(']')) {
    name = name.substr(1, name.size() - 2);
  }
  if (auto a = ip_bytes(name), b = ip_bytes(host); a || b) return a && b && *a == *b;
  if (name.starts_with("*.")) name.remove_prefix(1);
  if (name.starts_with('.')) return host.size() > name.size() && host.ends_with(name);
  return host == name ||
         (host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.');
}

}  // namespace

std::string Proxy::masked() const {
  if (!enabled()) return "direct";
  std::string out = "http://";
  if (!username.empty()) out += username + (password.empty() ? "" : ":<secret>") + "@";
  out += host.find(':') == std::string::npos ? host : "[" + host + "]";
  return out + ":" + std::to_string(port);
}

std::optional<Proxy> parse_proxy_url(std::string_view text, bool schemeless_is_http, std::string& problem) {
  const auto sep = text.find("://");
  std::string scheme = sep == std::string_view::npos ? "" : lower(text.substr(0, sep));
  if (scheme.empty() && schemeless_is_http) scheme = "http";
  std::string_view rest = sep == std::string_view::npos ? text : text.substr(sep + 3);
  if (scheme.empty()) {
    problem = "must be http://[user[:password]@]host[:port]";
    return std::nullopt;
  }
  if (scheme != "http") {
    problem = "unsupported scheme '" + scheme.substr(0, 16) +
              "': only http:// proxies are supported (they tunnel https with CONNECT)";
    return std::nullopt;
  }
  const size_t end = rest.find_first_of("/?#");
  if (end != std::string_view::npos && rest.substr(end) != "/") {
    problem = "must not have a path, query or fragment";
    return std::nullopt;
  }
  std::string_view authority = rest.substr(0, end);
  Proxy p;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    auto password = percent_decode(colon == std::string_view::npos ? "" : userinfo.substr(colon + 1));
    if (!user || !password || user->empty()) {
      problem = "the user name and password must be non-empty and percent-encoded";
      return std::nullopt;
    }
    p.username = *user;
    p.password = *password;
  }
  auto hp = parse_host_port(authority);
  if (!hp) {
    problem = "must be http://[user[:password]@]host[:port], with a port from 1 to 65535";
    return std::nullopt;
  }
  p.host = hp->host;
  p.port = hp->port.value_or(80);
  return p;
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host, int port) {
  const std::string h = lower(host);
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    const std::string entry = lower(trim(no_proxy.substr(0, comma)));
    no_proxy = comma == std::string_view::npos ? "" : no_proxy.substr(comma + 1);
    if (entry == "*") return true;
    if (!entry.empty() && entry_matches(entry, h, port)) return true;
  }
  return false;
}

}  // namespace coinw
