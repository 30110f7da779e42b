#pragma once
// The --web.config.file format of the Prometheus exporter-toolkit: TLS, basic
// auth and extra response headers. Read like the main configuration: every
// problem at once, each "file:line: key.path: reason".
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coinw::web {

enum class TlsVersion { tls12, tls13 };

struct WebConfig {
  // Paths are absolute or relative to the process's working directory: the
  // loader has already resolved them against the config file's directory.
  std::string cert_file, key_file, client_ca_file;
  TlsVersion min_tls_version = TlsVersion::tls12;
  std::optional<TlsVersion> max_tls_version;
  // OpenSSL names of the TLS 1.2 suites (exporter-toolkit's cipher_suites in Go
  // names); empty: OpenSSL's defaults. TLS 1.3 suites are not configurable, as in Go.
  std::vector<std::string> cipher_suites;
  std::vector<std::string> curves;  // OpenSSL group names, e.g. X25519, P-256
  bool prefer_server_cipher_suites = true;
  // With client certificates: one of the certificate's SANs (DNS, e-mail, IP,
  // URI) must equal one of these; empty: any certificate the CA signed.
  std::vector<std::string> client_allowed_sans;
  // User name -> bcrypt hash.
  std::map<std::string, std::string> basic_auth_users;
  // Added to every response (exporter-toolkit's http_server_config.headers).
  std::map<std::string, std::string> headers;

  bool tls() const { return !cert_file.empty(); }
  bool auth() const { return !basic_auth_users.empty(); }
  // Client certificates are required and verified whenever a CA is given.
  bool client_auth() const { return !client_ca_file.empty(); }
  bool operator==(const WebConfig&) const = default;
};

// what() has one problem per line; no problem text contains a password hash.
struct WebConfigError : std::runtime_error {
  explicit WebConfigError(std::vector<std::string> problems);
  std::vector<std::string> problems;
};

// A regular file only, opened without blocking (a FIFO is refused, not waited on).
WebConfig load_web_config(const std::string& path);
// Relative paths resolve against source_name's directory, as when loading it.
WebConfig parse_web_config(std::string_view yaml, const std::string& source_name);

// "$2a$", "$2b$" or "$2y$", a cost of 04-31 and 53 characters of salt + hash.
bool looks_like_bcrypt(std::string_view hash);

}  // namespace coinw::web
