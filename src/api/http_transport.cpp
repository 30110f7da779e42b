// The only file of the client that includes httplib.h: its errors become ours here.
#include <httplib.h>

#include "api/transport.h"

namespace coinw::api {
namespace {

FailureReason classify_transport(httplib::Error e, std::chrono::milliseconds elapsed,
                                 std::chrono::milliseconds read_timeout) {
  switch (e) {
    case httplib::Error::ConnectionTimeout: return FailureReason::timeout;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification: return FailureReason::tls;
    case httplib::Error::Read:
      // httplib reports a read timeout as a read error; the elapsed time tells them apart.
      return elapsed + std::chrono::milliseconds(50) >= read_timeout ? FailureReason::timeout
                                                                     : FailureReason::network;
    default: return FailureReason::network;
  }
}

class HttplibTransport final : public Transport {
 public:
  explicit HttplibTransport(const TransportOptions& o) : options_(o) {
    const BaseUrl& b = o.base_url;
    if (b.https()) {
      auto ssl = std::make_unique<httplib::SSLClient>(b.host(), b.port());
      ssl->enable_server_certificate_verification(o.verify_tls);
      if (!o.ca_file.empty()) ssl->set_ca_cert_path(o.ca_file.c_str());
      client_ = std::move(ssl);
    } else {
      client_ = std::make_unique<httplib::ClientImpl>(b.host(), b.port());
    }
    client_->set_keep_alive(true);
    client_->set_url_encode(false);  // we send exactly what we signed, already encoded
    client_->set_connection_timeout(o.connect_timeout);
    client_->set_read_timeout(o.read_timeout);
    client_->set_write_timeout(o.read_timeout);
    client_->set_decompress(true);
    if (o.proxy.enabled()) use_proxy(o.proxy);
  }

  Result<HttpResponse> send(const HttpRequest& r) override {
    std::string target = r.path;
    if (!r.query.empty()) {
      target += '?';
      target += join_encoded(r.query);
    }
    httplib::Headers headers(r.headers.begin(), r.headers.end());
    headers.emplace("Accept-Encoding", "gzip");
    // httplib 0.11 adds the proxy's credentials to every request, also inside
    // the CONNECT tunnel, where only CoinW would read them (fixed upstream in
    // cpp-httplib #2579). It adds none to a request that carries the header
    // already, so tunnelled requests carry it empty.
    if (tunnel_credentials_) headers.emplace("Proxy-Authorization", "");

    std::string body;
    bool too_large = false;
    auto receiver = [&](const char* data, size_t n) {
      if (body.size() + n > options_.max_body_bytes) {
        too_large = true;
        return false;
      }
      body.append(data, n);
      return true;
    };
    // A request opens a new connection (to the proxy, when there is one) when
    // none is open, or the open one has died: then httplib makes a socket.
    new_connection_ = client_->is_socket_open() == 0;
    connect_status_ = 0;
    auto start = std::chrono::steady_clock::now();
    httplib::Result res = r.method == "POST"
                              ? client_->Post(target, headers, r.body, "application/json")
                              : client_->Get(target, headers, receiver);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (auto failure = proxy_failure(res)) {
      client_->stop();  // whatever httplib left of the connection is not a tunnel
      return *failure;
    }
    if (too_large)
      return ApiError{FailureReason::malformed_response, "response body larger than the limit", "", 0, {}};
    if (!res) {
      return ApiError{classify_transport(res.error(), elapsed, options_.read_timeout),
                      "HTTP request failed: " + httplib::to_string(res.error()), "", 0, {}};
    }
    HttpResponse out;
    out.status = res->status;
    out.body = r.method == "POST" ? std::move(res->body) : std::move(body);
    if (out.body.size() > options_.max_body_bytes)
      return ApiError{FailureReason::malformed_response, "response body larger than the limit", "", 0, {}};
    if (res->has_header("Retry-After")) out.retry_after = res->get_header_value("Retry-After");
    if (res->has_header("Date")) out.date = res->get_header_value("Date");
    return out;
  }

 private:
  void use_proxy(const Proxy& p) {
    client_->set_proxy(p.host, p.port);
    if (!p.username.empty()) client_->set_proxy_basic_auth(p.username, p.password);
    tunnel_credentials_ = options_.base_url.https() && !p.username.empty();
    // What the proxy did, seen through httplib's hooks: a socket is made for
    // each new connection (to the proxy), and its answer to CONNECT is logged.
    client_->set_socket_options([this](socket_t) { new_connection_ = true; });
    client_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      if (req.method == "CONNECT") connect_status_ = res.status;
    });
  }

  // A request that failed on its way through the proxy: while connecting to it,
  // or before it opened the tunnel (httplib carries on after a refused CONNECT
  // and then fails the TLS handshake). A 407 is the proxy's whatever the route.
  std::optional<ApiError> proxy_failure(const httplib::Result& res) const {
    if (!options_.proxy.enabled()) return std::nullopt;
    const std::string where = " (proxy " + options_.proxy.masked() + ")";
    if (res && res->status == 407)
      return ApiError{FailureReason::proxy, "the proxy refused its credentials: HTTP 407" + where, "", 407, {}};
    if (res || !new_connection_) return std::nullopt;
    const bool https = options_.base_url.https();
    // Plain http goes through the proxy request by request: only connecting to it is its own.
    if (https ? connect_status_ / 100 == 2 : res.error() == httplib::Error::Read || res.error() == httplib::Error::Write)
      return std::nullopt;
    std::string what = connect_status_ ? "the proxy refused CONNECT: HTTP " + std::to_string(connect_status_)
                                       : "no connection through the proxy: " + httplib::to_string(res.error());
    return ApiError{FailureReason::proxy, what + where, "", connect_status_, {}};
  }

  TransportOptions options_;
  std::unique_ptr<httplib::ClientImpl> client_;
  bool tunnel_credentials_ = false;
  // Per request; requests on one transport never overlap (an account refreshes one at a time).
  bool new_connection_ = false;
  int connect_status_ = 0;
};

}  // namespace

std::unique_ptr<Transport> make_http_transport(const TransportOptions& options) {
  return std::make_unique<HttplibTransport>(options);
}

}  // namespace coinw::api
