#pragma once
// The HTTP seam: the client speaks to a Transport, so tests can record requests
// byte for byte and replay responses without a network.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/errors.h"
#include "api/url.h"
#include "common/base_url.h"
#include "common/coinw_facts.h"
#include "common/proxy.h"

namespace coinw::api {

struct HttpRequest {
  std::string method;  // "GET" or "POST"
  std::string path;    // without query
  QueryParams query;   // sent percent-encoded, in this order
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<std::string> retry_after;  // raw Retry-After header, when present
  std::optional<std::string> date;         // raw Date header, when present
};

// Fails only for transport-level problems (timeout, network, tls, proxy); an
// HTTP error status is a response, classified later from its body.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

struct TransportOptions {
  BaseUrl base_url = facts::kDefaultBaseUrl;
  std::string ca_file;  // empty: the system CA store
  bool verify_tls = true;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{10000};
  size_t max_body_bytes = 64 * 1024 * 1024;
  Proxy proxy;  // disabled: direct
  bool operator==(const TransportOptions&) const = default;
};

// cpp-httplib with OpenSSL: keep-alive, certificate verification, timeouts,
// an http:// proxy (a CONNECT tunnel for https).
std::unique_ptr<Transport> make_http_transport(const TransportOptions& options);

}  // namespace coinw::api
