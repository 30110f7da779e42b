#pragma once
// The --web.config.file format of the Prometheus exporter-toolkit (the subset
// this exporter supports): TLS, basic auth and extra response headers.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace coinw::web {

enum class TlsVersion { tls12, tls13 };

struct WebConfig {
  // Paths are absolute or relative to the process's working directory: the
  // loader has already resolved them against the config file's directory.
  std::string cert_file, key_file, client_ca_file;
  TlsVersion min_tls_version = TlsVersion::tls12;
  // User name -> bcrypt hash.
  std::map<std::string, std::string> basic_auth_users;
  // Added to every response (exporter-toolkit's http_server_config.headers).
  std::map<std::string, std::string> headers;

  bool tls() const { return !cert_file.empty(); }
  bool auth() const { return !basic_auth_users.empty(); }
  // Client certificates are required and verified whenever a CA is given.
  bool client_auth() const { return !client_ca_file.empty(); }
};

// what() is "source:line: key.path: reason"; it never contains a password hash.
struct WebConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

WebConfig load_web_config(const std::string& path);
// Relative paths resolve against source_name's directory, as when loading it.
WebConfig parse_web_config(std::string_view yaml, const std::string& source_name);

// "$2a$", "$2b$" or "$2y$", a cost of 04-31 and 53 characters of salt + hash.
bool looks_like_bcrypt(std::string_view hash);

}  // namespace coinw::web
