#include "web/web_config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace coinw::web {
namespace {

// exporter-toolkit only lets these through, so a config that works there works here.
const std::set<std::string, std::less<>> kAllowedHeaders = {
    "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
    "X-XSS-Protection", "Content-Security-Policy"};

class Parser {
 public:
  Parser(std::string source, std::filesystem::path base) : source_(std::move(source)), base_(std::move(base)) {}

  WebConfig parse(std::string_view yaml) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::ParserException& e) {
      // yaml-cpp's messages describe the syntax problem without quoting the input.
      throw WebConfigError(source_ + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    WebConfig cfg;
    if (root.IsNull()) return cfg;
    for_each_entry(root, "", [&](const std::string& key, const YAML::Node& value) {
      if (key == "tls_server_config")
        parse_tls(value, cfg);
      else if (key == "basic_auth_users")
        parse_users(value, cfg);
      else if (key == "http_server_config")
        parse_http(value, cfg);
      else
        fail(value, key, "unknown key");
    });
    return cfg;
  }

 private:
  using EntryFn = std::function<void(const std::string& key, const YAML::Node& value)>;

  [[noreturn]] void fail(const YAML::Node& at, const std::string& path, const std::string& reason) const {
    std::string message = source_;
    if (at.Mark().line >= 0) {
      message += ':';
      message += std::to_string(at.Mark().line + 1);
    }
    message += ": ";
    if (!path.empty()) {
      message += path;
      message += ": ";
    }
    message += reason;
    throw WebConfigError(message);
  }

  // Null counts as an empty map so that "basic_auth_users:" alone means none.
  void for_each_entry(const YAML::Node& map, const std::string& path, const EntryFn& fn) const {
    if (map.IsNull()) return;
    if (!map.IsMap()) fail(map, path, "must be a mapping");
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) fail(it->first, path, "keys must be strings");
      const auto key = it->first.Scalar();
      const auto key_path = path.empty() ? key : path + "." + key;
      if (!seen.insert(key).second) fail(it->first, key_path, "duplicate key");
      fn(key, it->second);
    }
  }

  // Values are never quoted back: some of them (hashes) are secrets.
  std::string string(const YAML::Node& n, const std::string& path) const {
    if (n.IsNull()) return "";
    if (!n.IsScalar()) fail(n, path, "must be a string");
    return n.Scalar();
  }

  std::string file(const YAML::Node& n, const std::string& path) const {
    std::filesystem::path p = string(n, path);
    if (p.empty() || p.is_absolute() || base_.empty()) return p.string();
    return (base_ / p).string();
  }

  void parse_tls(const YAML::Node& node, WebConfig& cfg) const {
    const std::string path = "tls_server_config";
    std::string client_auth;
    bool min_version_set = false;
    for_each_entry(node, path, [&](const std::string& key, const YAML::Node& v) {
      const auto p = path + "." + key;
      if (key == "cert_file") {
        cfg.cert_file = file(v, p);
      } else if (key == "key_file") {
        cfg.key_file = file(v, p);
      } else if (key == "client_ca_file") {
        cfg.client_ca_file = file(v, p);
      } else if (key == "client_auth_type") {
        client_auth = string(v, p);
        if (client_auth != "RequireAndVerifyClientCert" && client_auth != "NoClientCert")
          fail(v, p, "unsupported value \"" + client_auth + "\" (use RequireAndVerifyClientCert or NoClientCert)");
      } else if (key == "min_version") {
        const auto s = string(v, p);
        if (s == "TLS12")
          cfg.min_tls_version = TlsVersion::tls12;
        else if (s == "TLS13")
          cfg.min_tls_version = TlsVersion::tls13;
        else
          fail(v, p, "unsupported value \"" + s + "\" (use TLS12 or TLS13)");
        min_version_set = true;
      } else {
        fail(v, p, "unknown key");
      }
    });
    if (cfg.cert_file.empty() != cfg.key_file.empty())
      fail(node, path, "cert_file and key_file must be given together");
    if (!cfg.tls() && (!cfg.client_ca_file.empty() || !client_auth.empty() || min_version_set))
      fail(node, path, "cert_file and key_file are required");
    if (client_auth == "RequireAndVerifyClientCert" && cfg.client_ca_file.empty())
      fail(node, path, "client_auth_type RequireAndVerifyClientCert needs client_ca_file");
    // A CA without verification is almost certainly a mistake; refuse rather than guess.
    if (client_auth == "NoClientCert" && !cfg.client_ca_file.empty())
      fail(node, path, "client_ca_file is set but client_auth_type is NoClientCert");
  }

  void parse_users(const YAML::Node& node, WebConfig& cfg) const {
    for_each_entry(node, "basic_auth_users", [&](const std::string& user, const YAML::Node& v) {
      const auto p = "basic_auth_users." + user;
      if (user.empty()) fail(v, "basic_auth_users", "empty user name");
      // RFC 7617: the user-id cannot contain a colon.
      if (user.find(':') != std::string::npos) fail(v, p, "user name must not contain ':'");
      auto hash = string(v, p);
      if (!looks_like_bcrypt(hash)) fail(v, p, "not a bcrypt hash (expected $2a$, $2b$ or $2y$)");
      cfg.basic_auth_users[user] = std::move(hash);
    });
  }

  void parse_http(const YAML::Node& node, WebConfig& cfg) const {
    for_each_entry(node, "http_server_config", [&](const std::string& key, const YAML::Node& v) {
      const auto p = "http_server_config." + key;
      if (key == "http2") {
        // Accepted for compatibility; this server speaks HTTP/1.1 only.
        bool ignored = false;
        if (!YAML::convert<bool>::decode(v, ignored)) fail(v, p, "must be true or false");
      } else if (key == "headers") {
        parse_headers(v, p, cfg);
      } else {
        fail(v, p, "unknown key");
      }
    });
  }

  void parse_headers(const YAML::Node& node, const std::string& path, WebConfig& cfg) const {
    for_each_entry(node, path, [&](const std::string& name, const YAML::Node& v) {
      const auto p = path + "." + name;
      if (!kAllowedHeaders.contains(name)) fail(v, p, "header not allowed");
      auto value = string(v, p);
      if (value.find_first_of("\r\n") != std::string::npos) fail(v, p, "value must be a single line");
      cfg.headers[name] = std::move(value);
    });
  }

  std::string source_;
  std::filesystem::path base_;
};

bool is_bcrypt_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

}  // namespace

bool looks_like_bcrypt(std::string_view h) {
  if (h.size() != 60 || h.substr(0, 2) != "$2" || h[3] != '$' || h[6] != '$') return false;
  if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
  if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9') return false;
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  for (char c : h.substr(7))
    if (!is_bcrypt_char(c)) return false;
  return true;
}

WebConfig parse_web_config(std::string_view yaml, const std::string& source_name) {
  return Parser(source_name, std::filesystem::path(source_name).parent_path()).parse(yaml);
}

WebConfig load_web_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WebConfigError(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw WebConfigError(path + ": cannot read");
  return parse_web_config(text.str(), path);
}

}  // namespace coinw::web
