#include "web/tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

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

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ":") + s;
  return out;
}

int version_number(TlsVersion v) { return v == TlsVersion::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION; }

// client_allowed_sans of a context, kept with it so that a connection moved to
// a newer context checks against that one's list.
int sans_index() {
  static const int index = SSL_CTX_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* p, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<std::vector<std::string>*>(p); });
  return index;
}

// exporter-toolkit's check: one of the SANs equals one of the allowed strings.
bool san_allowed(X509* cert, const std::vector<std::string>& allowed) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return false;
  bool ok = false;
  for (int i = 0; i < sk_GENERAL_NAME_num(names) && !ok; ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    std::string value;
    if (n->type == GEN_DNS || n->type == GEN_EMAIL || n->type == GEN_URI) {
      const ASN1_IA5STRING* s = n->d.ia5;
      value.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (n->type == GEN_IPADD) {
      char ip[INET6_ADDRSTRLEN] = "";
      const int length = ASN1_STRING_length(n->d.ip);
      const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
      if (family && inet_ntop(family, ASN1_STRING_get0_data(n->d.ip), ip, sizeof ip)) value = ip;
    }
    ok = !value.empty() && std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  }
  GENERAL_NAMES_free(names);
  return ok;
}

int verify_client(int preverified, X509_STORE_CTX* store) {
  if (!preverified || X509_STORE_CTX_get_error_depth(store) != 0) return preverified;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const auto* allowed =
      static_cast<const std::vector<std::string>*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), sans_index()));
  if (!allowed || allowed->empty()) return 1;
  if (san_allowed(X509_STORE_CTX_get_current_cert(store), *allowed)) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

constexpr int kVerifyClient = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;

}  // namespace

std::string configure_tls(SSL_CTX& ctx, const WebConfig& cfg) {
  ERR_clear_error();
  for (const auto& [what, path] : {std::pair{"cert_file", cfg.cert_file}, std::pair{"key_file", cfg.key_file},
                                   std::pair{"client_ca_file", cfg.client_ca_file}})
    if (!path.empty())
      if (auto err = unreadable(what, path); !err.empty()) return err;

  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (cfg.prefer_server_cipher_suites) SSL_CTX_set_options(&ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(&ctx, version_number(cfg.min_tls_version)) != 1 ||
      SSL_CTX_set_max_proto_version(&ctx, cfg.max_tls_version ? version_number(*cfg.max_tls_version) : 0) != 1)
    return "cannot set the TLS versions: " + openssl_error();
  if (!cfg.cipher_suites.empty() && SSL_CTX_set_cipher_list(&ctx, joined(cfg.cipher_suites).c_str()) != 1)
    return "cipher_suites: " + openssl_error();
  if (!cfg.curves.empty() && SSL_CTX_set1_groups_list(&ctx, joined(cfg.curves).c_str()) != 1)
    return "curve_preferences: " + openssl_error();
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
    SSL_CTX_set_ex_data(&ctx, sans_index(), new std::vector<std::string>(cfg.client_allowed_sans));
    SSL_CTX_set_verify(&ctx, kVerifyClient, verify_client);
  }
  return "";
}

SslCtxPtr make_tls_context(const WebConfig& cfg, std::string& error) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    error = "cannot create a TLS context: " + openssl_error();
    return nullptr;
  }
  error = configure_tls(*ctx, cfg);
  if (!error.empty()) return nullptr;
  return ctx;
}

}  // namespace coinw::web
