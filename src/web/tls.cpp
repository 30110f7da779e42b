#include "web/tls.h"

#include <openssl/err.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace coinw::web {
namespace {

std::string openssl_error() {
  char buf[256] = "unknown error";
  if (const unsigned long e = ERR_peek_last_error()) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

// OpenSSL reports a missing file as a generic system error; this is clearer.
std::string unreadable(const char* what, const std::string& path) {
  std::ifstream in(path);
  if (in) return "";
  return std::string("cannot read ") + what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::string configure_tls(SSL_CTX& ctx, const WebConfig& cfg) {
  ERR_clear_error();
  for (const auto& [what, path] : {std::pair{"cert_file", cfg.cert_file}, std::pair{"key_file", cfg.key_file},
                                   std::pair{"client_ca_file", cfg.client_ca_file}})
    if (!path.empty())
      if (auto err = unreadable(what, path); !err.empty()) return err;

  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  const int min = cfg.min_tls_version == TlsVersion::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(&ctx, min) != 1) return "cannot set the minimum TLS version: " + openssl_error();
  if (SSL_CTX_use_certificate_chain_file(&ctx, cfg.cert_file.c_str()) != 1)
    return "cert_file " + cfg.cert_file + ": " + openssl_error();
  // Also catches a key that does not belong to the certificate ("key values mismatch").
  if (SSL_CTX_use_PrivateKey_file(&ctx, cfg.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return "key_file " + cfg.key_file + ": " + openssl_error();
  if (cfg.client_auth()) {
    const char* ca = cfg.client_ca_file.c_str();
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca);
    if (!names || SSL_CTX_load_verify_locations(&ctx, ca, nullptr) != 1) {
      if (names) sk_X509_NAME_pop_free(names, X509_NAME_free);
      return "client_ca_file " + cfg.client_ca_file + ": " + openssl_error();
    }
    SSL_CTX_set_client_CA_list(&ctx, names);
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return "";
}

}  // namespace coinw::web
