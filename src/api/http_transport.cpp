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
  }

  Result<HttpResponse> send(const HttpRequest& r) override {
    std::string target = r.path;
    if (!r.query.empty()) {
      target += '?';
      target += join_encoded(r.query);
    }
    httplib::Headers headers(r.headers.begin(), r.headers.end());
    headers.emplace("Accept-Encoding", "gzip");

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
    // httplib reuses a kept-alive connection while it looks open; the server
    // may still close it (its idle timeout) just as the request goes out.
    const bool reused = client_->is_socket_open() != 0;
    auto start = std::chrono::steady_clock::now();
    httplib::Result res = r.method == "POST"
                              ? client_->Post(target, headers, r.body, "application/json")
                              : client_->Get(target, headers, receiver);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (too_large)
      return ApiError{FailureReason::malformed_response, "response body larger than the limit", "", 0, {}};
    if (!res) {
      ApiError err{classify_transport(res.error(), elapsed, options_.read_timeout),
                   "HTTP request failed: " + httplib::to_string(res.error()), "", 0, {}};
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
    return out;
  }

 private:
  TransportOptions options_;
  std::unique_ptr<httplib::ClientImpl> client_;
};

}  // namespace

std::unique_ptr<Transport> make_http_transport(const TransportOptions& options) {
  return std::make_unique<HttplibTransport>(options);
}

}  // namespace coinw::api
