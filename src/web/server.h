#pragma once
// The exporter's HTTP(S) server: /metrics, /probe, /, /runbook, /-/healthy,
// /-/ready and /-/reload, with the TLS and basic auth of a WebConfig.
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

// An empty handler makes its endpoint answer 404; an empty reload answers 403,
// as Prometheus does without --web.enable-lifecycle.
struct Handlers {
  std::function<Response(const ScrapeRequest&)> metrics;
  std::function<Response(const ScrapeRequest&)> probe;
  std::function<std::string()> landing_page;  // HTML
  std::function<std::string()> runbook;       // HTML, at /runbook
  std::function<bool()> ready;
  // {ok, message}: 200, or 500 with the message.
  std::function<std::pair<bool, std::string>()> reload;
};

struct ServerOptions {
  // As in Prometheus exporters: ":9866", "127.0.0.1:9866", "[::1]:9866"; each is served.
  std::vector<std::string> listen_addresses{":9866"};
  std::string telemetry_path = "/metrics";  // checked with telemetry_path_problem()
  // Scrapes (telemetry path and /probe) served at once; more answer 503 at
  // once, as the Go exporters' --web.max-requests does. 0: no limit.
  int max_requests = 0;
  // The file the WebConfig was read from: re-read, with the certificate, key
  // and CA files it names, when they change. "": only those files are watched.
  std::string web_config_file;
};

class WebServer {
 public:
  WebServer(ServerOptions options, WebConfig config, Handlers handlers);
  // One address, the other options at their defaults.
  WebServer(std::string listen_address, WebConfig config, Handlers handlers);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds every address, then serves each on its own thread. Throws
  // std::runtime_error naming the address, or the certificate/key file that
  // could not be used; then nothing is served.
  void start();
  // Stops accepting and waits for in-flight requests. Idempotent.
  void stop();
  // Re-reads the web configuration now (SIGHUP); "" or why the files were
  // refused, the previous configuration then staying in force. Needs start().
  std::string reload_web_config();
  // The bound ports, in the order of the addresses; useful after port 0.
  std::vector<int> ports() const;
  // The first address's port; -1 when not serving.
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Every connection holds a file descriptor, and the server sizes its connection
// table from the soft open-files limit when it starts: this raises that limit
// to the hard one, as Go programs do at start. Returns the soft limit in force
// (unchanged where raising it is not allowed).
unsigned long raise_open_files_limit();

// {host, port}; the host is "" for all interfaces and has no brackets. Pure.
std::optional<std::pair<std::string, int>> parse_listen_address(std::string_view address);
// Why `path` cannot serve the metrics ("" when it can): it must be an absolute
// path of plain characters that no other endpoint uses.
std::string telemetry_path_problem(std::string_view path);

}  // namespace coinw::web
