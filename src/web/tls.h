#pragma once
// Internal to the web module: an OpenSSL server context from a WebConfig.
#include <openssl/ssl.h>

#include <string>

#include "web/web_config.h"

namespace coinw::web {

// Loads the certificate chain, key and client CA into ctx. Returns "" on
// success, else an error that names the file at fault.
std::string configure_tls(SSL_CTX& ctx, const WebConfig& cfg);

}  // namespace coinw::web
