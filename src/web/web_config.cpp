#include "web/web_config.h"

#include <algorithm>
#include <array>
#include <utility>

#include "config/files.h"
#include "config/walker.h"

namespace coinw::web {
namespace {

using config::detail::Map;
using config::detail::Walker;

constexpr size_t kMaxWebConfigBytes = 1024 * 1024;

// exporter-toolkit only lets these through, so a config that works there works here.
constexpr std::array<std::string_view, 5> kAllowedHeaders = {"Strict-Transport-Security", "X-Content-Type-Options",
                                                             "X-Frame-Options", "X-XSS-Protection",
                                                             "Content-Security-Policy"};

// Go's names (crypto/tls) for the suites OpenSSL has. The TLS 1.3 ones are
// accepted and, as in Go, change nothing.
constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kCipherSuites = {{
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
    {"TLS_AES_128_GCM_SHA256", ""},
    {"TLS_AES_256_GCM_SHA384", ""},
    {"TLS_CHACHA20_POLY1305_SHA256", ""},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kCurves = {
    {{"CurveP256", "P-256"}, {"CurveP384", "P-384"}, {"CurveP521", "P-521"}, {"X25519", "X25519"}}};

class Parser {
 public:
  Parser(const std::string& source) : source_(source), w_(source, no_env_) {}

  WebConfig parse(std::string_view yaml) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::ParserException& e) {
      // yaml-cpp's messages describe the syntax problem without quoting the input.
      w_.error(std::max(1, e.mark.line + 1), "", e.msg);
      throw WebConfigError(w_.take_problems());
    }
    WebConfig cfg;
    if (auto top = w_.map(root, "", {"tls_server_config", "basic_auth_users", "http_server_config"})) {
      tls(*top, cfg);
      users(*top, cfg);
      http(*top, cfg);
    }
    if (auto problems = w_.take_problems(); !problems.empty()) throw WebConfigError(std::move(problems));
    return cfg;
  }

 private:
  std::string file(const Map& m, std::string_view key) {
    auto s = w_.string(m, key);
    return s && !s->empty() ? config::detail::resolve_path(*s, source_) : "";
  }

  // Each item of a list of words, mapped through `names` ("" = accepted, no effect).
  template <size_t N>
  std::vector<std::string> names(const Map& m, std::string_view key,
                                 const std::array<std::pair<std::string_view, std::string_view>, N>& names) {
    std::vector<std::string> out;
    const auto items = w_.list(m, key);
    if (!items) return out;
    for (size_t i = 0; i < items->size(); ++i) {
      const auto path = m.path_of(key) + "[" + std::to_string(i) + "]";
      const auto line = config::detail::line_of((*items)[i]);
      const auto word = w_.scalar((*items)[i], line, path, "a string");
      if (!word) continue;
      const auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == *word; });
      if (it == names.end())
        w_.error(line, path, "unsupported value \"" + *word + "\"");
      else if (!it->second.empty())
        out.emplace_back(it->second);
    }
    return out;
  }

  std::optional<TlsVersion> version(const Map& m, std::string_view key) {
    return w_.choice<TlsVersion>(m, key, {{"TLS12", TlsVersion::tls12}, {"TLS13", TlsVersion::tls13}});
  }

  void tls(const Map& top, WebConfig& cfg) {
    auto m =
        w_.map(top, "tls_server_config",
               {"cert_file", "key_file", "client_ca_file", "client_auth_type", "client_allowed_sans", "min_version",
                "max_version", "cipher_suites", "curve_preferences", "prefer_server_cipher_suites"});
    if (!m || m->entries.empty()) return;
    cfg.cert_file = file(*m, "cert_file");
    cfg.key_file = file(*m, "key_file");
    cfg.client_ca_file = file(*m, "client_ca_file");
    enum class ClientAuth { none, verify };
    const auto client_auth =
        w_.choice<ClientAuth>(*m, "client_auth_type",
                              {{"RequireAndVerifyClientCert", ClientAuth::verify}, {"NoClientCert", ClientAuth::none}});
    if (auto v = version(*m, "min_version")) cfg.min_tls_version = *v;
    cfg.max_tls_version = version(*m, "max_version");
    cfg.cipher_suites = names(*m, "cipher_suites", kCipherSuites);
    cfg.curves = names(*m, "curve_preferences", kCurves);
    if (auto v = w_.boolean(*m, "prefer_server_cipher_suites")) cfg.prefer_server_cipher_suites = *v;
    if (auto sans = w_.list(*m, "client_allowed_sans"))
      for (size_t i = 0; i < sans->size(); ++i)
        if (auto s = w_.scalar((*sans)[i], config::detail::line_of((*sans)[i]),
                               m->path_of("client_allowed_sans") + "[" + std::to_string(i) + "]", "a string"))
          cfg.client_allowed_sans.push_back(*s);

    const auto problem = [&](const std::string& reason) { w_.error(m->line, m->path, reason); };
    if (cfg.cert_file.empty() != cfg.key_file.empty())
      problem("cert_file and key_file must be given together");
    else if (!cfg.tls())
      problem("cert_file and key_file are required");
    if (client_auth == ClientAuth::verify && cfg.client_ca_file.empty())
      problem("client_auth_type RequireAndVerifyClientCert needs client_ca_file");
    // A CA without verification is almost certainly a mistake; refuse rather than guess.
    if (client_auth == ClientAuth::none && !cfg.client_ca_file.empty())
      problem("client_ca_file is set but client_auth_type is NoClientCert");
    if (!cfg.client_allowed_sans.empty() && cfg.client_ca_file.empty())
      problem("client_allowed_sans needs client certificates (client_ca_file)");
    if (cfg.max_tls_version && *cfg.max_tls_version < cfg.min_tls_version) problem("max_version is below min_version");
  }

  // Values are never quoted back: they are password hashes.
  void users(const Map& top, WebConfig& cfg) {
    const YAML::Node* node = top.find("basic_auth_users");
    if (!node) return;
    auto m = w_.any_map(*node, "basic_auth_users");
    if (!m) return;
    for (const auto& e : m->entries) {
      const auto path = m->path_of(e.key);
      // RFC 7617: the user-id cannot contain a colon.
      if (e.key.find(':') != std::string::npos) {
        w_.error(e.line, path, "user name must not contain ':'");
        continue;
      }
      auto hash = w_.string(*m, e.key);
      if (!hash) continue;
      if (!looks_like_bcrypt(*hash))
        w_.error(e.line, path, "not a bcrypt hash (expected $2a$, $2b$ or $2y$)");
      else
        cfg.basic_auth_users[e.key] = std::move(*hash);
    }
  }

  void http(const Map& top, WebConfig& cfg) {
    auto m = w_.map(top, "http_server_config", {"http2", "headers"});
    if (!m) return;
    w_.boolean(*m, "http2");  // accepted for compatibility; this server speaks HTTP/1.1 only
    const YAML::Node* node = m->find("headers");
    if (!node) return;
    auto headers = w_.any_map(*node, m->path_of("headers"));
    if (!headers) return;
    for (const auto& e : headers->entries) {
      const auto path = headers->path_of(e.key);
      if (std::find(kAllowedHeaders.begin(), kAllowedHeaders.end(), e.key) == kAllowedHeaders.end()) {
        w_.error(e.line, path, "header not allowed");
        continue;
      }
      auto value = w_.string(*headers, e.key);
      if (value && value->find_first_of("\r\n") != std::string::npos)
        w_.error(e.line, path, "value must be a single line");
      else if (value)
        cfg.headers[e.key] = std::move(*value);
    }
  }

  const std::string& source_;
  const config::EnvLookup no_env_;
  Walker w_;
};

bool is_bcrypt_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

}  // namespace

WebConfigError::WebConfigError(std::vector<std::string> p) : std::runtime_error(join(p)), problems(std::move(p)) {}

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
  return Parser(source_name).parse(yaml);
}

WebConfig load_web_config(const std::string& path) {
  std::string problem;
  auto text = config::detail::read_file(path, kMaxWebConfigBytes, problem);
  if (!text) throw WebConfigError({problem});
  return parse_web_config(*text, path);
}

}  // namespace coinw::web
