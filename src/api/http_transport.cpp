// The only file of the client that includes httplib.h: its errors become ours here.
#include <httplib.h>

#include "api/proxy_tunnel.h"
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
      return elapsed + std::chrono::milliseconds(50) >= read_timeout ? FailureReason::timeout : FailureReason::network;
    default: return FailureReason::network;
  }
}

class HttplibTransport final : public Transport {
 public:
  explicit HttplibTransport(const TransportOptions& o) : options_(o) {
    const BaseUrl& b = o.base_url;
    const Proxy& p = o.proxy;
    if (b.https()) {
      // Through a proxy, TLS goes to our tunnel on loopback, for CoinW's name.
      if (p.enabled())
        tunnel_ = std::make_unique<ProxyTunnel>(
            ProxyTunnel::Options{p, b.host(), b.port(), o.connect_timeout, o.read_timeout});
      auto ssl = std::make_unique<httplib::SSLClient>(b.host(), tunnel_ ? tunnel_->port() : b.port());
      ssl->enable_server_certificate_verification(o.verify_tls);
      if (!o.ca_file.empty()) ssl->set_ca_cert_path(o.ca_file.c_str());
      if (tunnel_) ssl->set_hostname_addr_map({{b.host(), "127.0.0.1"}});
      client_ = std::move(ssl);
    } else {
      client_ = std::make_unique<httplib::ClientImpl>(b.host(), b.port());
      // Plain http goes to the proxy request by request, in absolute form.
      if (p.enabled()) client_->set_proxy(p.host, p.port);
      if (p.enabled() && !p.username.empty()) client_->set_proxy_basic_auth(p.username, p.password);
    }
    client_->set_keep_alive(true);
    client_->set_url_encode(false);  // we send exactly what we signed, already encoded
    client_->set_connection_timeout(o.connect_timeout);
    client_->set_read_timeout(o.read_timeout);
    client_->set_write_timeout(o.read_timeout);
    client_->set_decompress(true);
    // A socket is made for each new connection (to the proxy or our tunnel).
    if (p.enabled()) client_->set_socket_options([this](socket_t) { new_connection_ = true; });
  }

  Result<HttpResponse> send(const HttpRequest& r) override {
    std::string target = r.path;
    if (!r.query.empty()) {
      target += '?';
      target += join_encoded(r.query);
    }
    httplib::Headers headers(r.headers.begin(), r.headers.end());
    headers.emplace("Accept-Encoding", "gzip");
    // httplib would name the tunnel's port.
    if (tunnel_) headers.emplace("Host", options_.base_url.text().substr(std::string_view("https://").size()));

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
    new_connection_ = false;
    const uint64_t connections_before = tunnel_ ? tunnel_->latest().connections : 0;
    // httplib reuses a kept-alive connection while it looks open; the server
    // may still close it (its idle timeout) just as the request goes out.
    const bool reused = client_->is_socket_open() != 0;
    auto start = std::chrono::steady_clock::now();
    httplib::Result res = r.method == "POST" ? client_->Post(target, headers, r.body, "application/json")
                                             : client_->Get(target, headers, receiver);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (auto failure = proxy_failure(res, connections_before)) {
      client_->stop();
      return *failure;
    }
    if (too_large) return ApiError{FailureReason::malformed_response, "response body larger than the limit", "", 0, {}};
    if (!res) {
      ApiError err{classify_transport(res.error(), elapsed, options_.read_timeout),
                   "HTTP request failed: " + httplib::to_string(res.error()),
                   "",
                   0,
                   {}};
      err.stale_connection = reused && body.empty() && err.reason == FailureReason::network &&
                             (res.error() == httplib::Error::Read || res.error() == httplib::Error::Write);
      return err;
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
  // A request that failed on its way through the proxy: while connecting to
  // it, or before it opened the tunnel (or refused to). A 407 is the proxy's
  // whatever the route.
  std::optional<ApiError> proxy_failure(const httplib::Result& res, uint64_t connections_before) const {
    if (!options_.proxy.enabled()) return std::nullopt;
    auto failure = [&](std::string what, int status) {
      return ApiError{FailureReason::proxy, what + " (proxy " + options_.proxy.masked() + ")", "", status, {}};
    };
    if (res && res->status == 407) return failure("the proxy refused its credentials: HTTP 407", 407);
    if (res || !new_connection_) return std::nullopt;
    if (!tunnel_) {  // plain http: only connecting is the proxy's own
      if (res.error() == httplib::Error::Read || res.error() == httplib::Error::Write) return std::nullopt;
      return failure("no connection to the proxy: " + httplib::to_string(res.error()), 0);
    }
    const auto latest = tunnel_->latest();
    if (latest.connections != connections_before && latest.state == ProxyTunnel::State::established)
      return std::nullopt;
    if (latest.state == ProxyTunnel::State::failed) return failure(latest.failure, 0);
    return failure("no answer from the proxy in time", 0);
  }

  TransportOptions options_;
  std::unique_ptr<ProxyTunnel> tunnel_;  // https through a proxy; outlives client_
  std::unique_ptr<httplib::ClientImpl> client_;
  // Per request; requests on one transport never overlap (each lane has its own).
  bool new_connection_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_http_transport(const TransportOptions& options) {
  return std::make_unique<HttplibTransport>(options);
}

}  // namespace coinw::api
