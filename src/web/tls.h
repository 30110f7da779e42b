#pragma once
// Internal to the web module: OpenSSL server contexts from a WebConfig.
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "web/web_config.h"

namespace coinw::web {

// Loads the certificate chain, key and client CA into ctx and applies the
// versions, suites, curves and client SAN check. Returns "" on success, else
// an error that names the file or key at fault.
std::string configure_tls(SSL_CTX& ctx, const WebConfig& cfg);

struct FreeSslCtx {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, FreeSslCtx>;
// A new server context configured by configure_tls; nullptr and `error` on failure.
SslCtxPtr make_tls_context(const WebConfig& cfg, std::string& error);

}  // namespace coinw::web
