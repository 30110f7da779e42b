#pragma once
// The exporter's HTTP(S) server: /metrics, /probe, /, /-/healthy, /-/ready and
// /-/reload, with the TLS and basic auth of a WebConfig.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/web_config.h"

namespace coinw::web {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

struct ScrapeRequest {
  // X-Prometheus-Scrape-Timeout-Seconds when it is a finite number > 0.
  std::optional<double> timeout_seconds;
  // Query parameters; the first value wins when one repeats.
  std::map<std::string, std::string> params;
  // Every collect[] value, in order.
  std::vector<std::string> collect;
  // Accept-Encoding allows gzip.
  bool gzip = false;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty: kMetricsContentType
  std::string body;
  // When not empty, the body is these parts in order, written without a joined
  // copy (they are shared with other scrapes), and `body` is ignored.
  std::vector<std::shared_ptr<const std::string>> parts;
  std::string content_encoding;  // "gzip" when the parts are compressed
  // Called once the last byte was handed to the connection.
  std::function<void()> on_sent;

  std::string joined() const;  // body, or the parts joined
};

// A plain-text answer, e.g. an error.
Response text_response(int status, std::string body);

// Whether an Accept-Encoding header value allows gzip (RFC 9110: "gzip" or
// "*" with a quality above 0). Pure.
bool accepts_gzip(std::string_view accept_encoding);

// An empty handler makes its endpoint answer 404.
struct Handlers {
  std::function<Response(const ScrapeRequest&)> metrics;
  std::function<Response(const ScrapeRequest&)> probe;
  std::function<std::string()> landing_page;  // HTML
  std::function<bool()> ready;
  // {ok, message}: 200, or 500 with the message.
  std::function<std::pair<bool, std::string>()> reload;
};

class WebServer {
 public:
  // listen_address as in Prometheus exporters: ":9866", "127.0.0.1:9866", "[::1]:9866".
  WebServer(std::string listen_address, WebConfig config, Handlers handlers);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds, then serves on its own thread. Throws std::runtime_error naming the
  // address, or the certificate/key file that could not be used.
  void start();
  // Stops accepting and waits for in-flight requests. Idempotent.
  void stop();
  // The bound port; useful after listening on port 0.
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// {host, port}; the host is "" for all interfaces and has no brackets. Pure.
std::optional<std::pair<std::string, int>> parse_listen_address(std::string_view address);

}  // namespace coinw::web
