// The only file that sees httplib: it parses and routes the requests that the
// connection stage (connection_stage.h) has collected, and queues the answers
// that the stage then sends.
#include "web/server.h"

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "log/log.h"
#include "web/auth.h"
#include "web/connection_stage.h"
#include "web/listener.h"
#include "web/tls.h"
#include "web/web_config_watch.h"

namespace coinw::web {
namespace {

using namespace std::chrono_literals;

constexpr const char* kText = "text/plain; charset=utf-8";
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr std::size_t kMaxRequestBody = 64 * 1024;

// docs/operations.md, "What the HTTP server withstands": a worker only ever
// runs a handler, so these bound descriptors, not availability.
StageLimits stage_limits() {
  StageLimits l;
  l.header_timeout = 10s;
  // Longer than the usual 1-minute scrape interval, so that Prometheus keeps
  // its connection (and TLS session) from one scrape to the next.
  l.idle_timeout = 75s;
  l.write_timeout = 30s;
  l.max_body = kMaxRequestBody;
  l.workers = 64;
  return l;
}

// httplib's request parser and router, fed by the stage instead of its own
// accept loop (which gives every connection a thread until it times out).
class Router : public httplib::Server {
 public:
  // httplib stops writing a body once its listening socket is invalid; this
  // server has none, so any other value keeps it writing.
  Router() { svr_sock_ = 0; }
  bool serve(httplib::Stream& stream, bool last, bool& closed) {
    // Answers are whole (200), as the Go exporters' are: httplib would cut a
    // Range out of a body whose status a handler already set to 200.
    return process_request(stream, last, closed, [](httplib::Request& req) { req.ranges.clear(); });
  }
};

// A request on a Connection: reads what the stage received (and any rest of the
// body until a deadline), queues the answer without touching the socket.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, std::chrono::steady_clock::time_point read_deadline)
      : c_(c), deadline_(read_deadline) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override { return c_.read(ptr, size, deadline_); }
  ssize_t write(const char* ptr, size_t size) override {
    const std::string_view bytes(ptr, size);
    if (lent_ && ptr >= lent_->data() && ptr + size <= lent_->data() + lent_->size())
      c_.queue_shared(lent_, bytes);
    else
      c_.queue(bytes);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { c_.peer(ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { c_.local(ip, port); }
  socket_t socket() const override { return c_.fd(); }

  // While lent, bytes written from within `part` are queued as a view of it:
  // a cached body goes to every slow reader without a copy each.
  void lend(std::shared_ptr<const std::string> part) { lent_ = std::move(part); }
  Connection& connection() { return c_; }

  // httplib hands a content provider only a DataSink; the stream of the
  // request this thread serves is found here.
  static ConnectionStream*& current() {
    thread_local ConnectionStream* stream = nullptr;
    return stream;
  }

 private:
  Connection& c_;
  const std::chrono::steady_clock::time_point deadline_;
  std::shared_ptr<const std::string> lent_;
};

std::optional<double> parse_timeout(const std::string& s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v <= 0) return std::nullopt;
  return v;
}

ScrapeRequest scrape_request(const httplib::Request& req) {
  ScrapeRequest out;
  out.timeout_seconds = parse_timeout(req.get_header_value("X-Prometheus-Scrape-Timeout-Seconds"));
  for (const auto& [k, v] : req.params) {
    out.params.try_emplace(k, v);
    if (k == "collect[]") out.collect.push_back(v);
  }
  out.gzip = accepts_gzip(req.get_header_value("Accept-Encoding"));
  return out;
}

// Queues shared parts as they are (httplib compresses only bodies it owns);
// on_sent runs once the stage has sent the last byte.
void send_parts(Response r, httplib::Response& res) {
  size_t total = 0;
  for (const auto& p : r.parts) total += p->size();
  if (!r.content_encoding.empty()) res.set_header("Content-Encoding", r.content_encoding);
  res.set_header("Vary", "Accept-Encoding");
  const std::string type = r.content_type.empty() ? kMetricsContentType : r.content_type;
  auto parts = std::make_shared<std::vector<std::shared_ptr<const std::string>>>(std::move(r.parts));
  auto on_sent = std::make_shared<std::function<void()>>(std::move(r.on_sent));
  // httplib asks again from each offset it has not written yet.
  res.set_content_provider(total, type, [parts, on_sent, total](size_t offset, size_t, httplib::DataSink& sink) {
    ConnectionStream& stream = *ConnectionStream::current();
    size_t start = 0;
    for (const auto& p : *parts) {
      if (offset < start + p->size()) {
        const size_t skip = offset - start;
        stream.lend(p);
        const bool ok = sink.write(p->data() + skip, p->size() - skip);
        stream.lend(nullptr);
        if (!ok) return false;
        if (start + p->size() == total && *on_sent) stream.connection().after_sent(std::exchange(*on_sent, nullptr));
        return true;
      }
      start += p->size();
    }
    return false;
  });
}

std::string reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    default: return "Error " + std::to_string(status);
  }
}

void plain(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, kText);
}

// A failing handler costs one 500, never the server; the message stays in the log.
void guarded(const char* endpoint, httplib::Response& res, const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    log::error("handler failed", {{"endpoint", endpoint}, {"err", e.what()}});
    plain(res, 500, "Internal Server Error\n");
  } catch (...) {
    log::error("handler failed", {{"endpoint", endpoint}, {"err", "unknown exception"}});
    plain(res, 500, "Internal Server Error\n");
  }
}

// Counts scrapes in flight against --web.max-requests.
class ScrapeSlots {
 public:
  explicit ScrapeSlots(int max) : max_(max) {}
  bool take() {
    if (max_ <= 0) return true;
    if (used_.fetch_add(1) < max_) return true;
    used_.fetch_sub(1);
    return false;
  }
  void give_back() {
    if (max_ > 0) used_.fetch_sub(1);
  }
  int max() const { return max_; }

 private:
  const int max_;
  std::atomic<int> used_{0};
};

void scrape(const char* endpoint, const std::function<Response(const ScrapeRequest&)>& handler, ScrapeSlots& slots,
            const httplib::Request& req, httplib::Response& res) {
  if (!handler) return plain(res, 404, "Not Found\n");
  // promhttp's words, so that operators recognise the answer.
  if (!slots.take())
    return plain(res, 503,
                 "Limit of concurrent requests reached (" + std::to_string(slots.max()) + "), try again later.\n");
  struct Release {
    ScrapeSlots& s;
    ~Release() { s.give_back(); }
  } release{slots};
  guarded(endpoint, res, [&] {
    auto r = handler(scrape_request(req));
    res.status = r.status;
    if (!r.parts.empty()) return send_parts(std::move(r), res);
    res.set_content(std::move(r.body), r.content_type.empty() ? kMetricsContentType : r.content_type.c_str());
  });
}

}  // namespace

struct WebServer::Impl {
  explicit Impl(int max_requests) : slots(max_requests) {}

  ServerOptions options;
  WebConfig config;
  Handlers handlers;
  std::unique_ptr<WebConfigWatch> watch;
  ScrapeSlots slots;
  std::mutex mutex;  // serialises start() and stop()
  Router router;     // stateless once routed: every worker shares it
  bool routed = false;
  std::vector<int> ports;
  std::unique_ptr<ConnectionStage> stage;

  void configure();
  void route(httplib::Server& srv);
  int listen(const std::string& address) const;
  bool serve(Connection& c, bool last);
  SSL* new_session() const;
};

void WebServer::Impl::configure() {
  const StageLimits limits = stage_limits();
  router.set_payload_max_length(kMaxRequestBody);
  // Only what httplib writes in the Keep-Alive header: the stage keeps the connection.
  router.set_keep_alive_max_count(limits.max_requests_per_connection);
  router.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits.idle_timeout).count());
  httplib::Headers headers;
  for (const auto& [k, v] : config.headers) headers.emplace(k, v);
  router.set_default_headers(std::move(headers));

  // Always installed: a reloaded web configuration can add users.
  router.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const auto state = watch->current();
    if (!state->auth || state->auth->check(req.get_header_value("Authorization")))
      return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", R"(Basic realm="coinw-exporter")");
    plain(res, 401, "Unauthorized\n");
    return httplib::Server::HandlerResponse::Handled;
  });
  // httplib leaves unmatched requests with an empty body.
  router.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(reason(res.status) + "\n", kText);
  });
  router.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    if (!log::enabled(log::Level::debug)) return;
    // Headers are left out on purpose: Authorization must never reach the log.
    log::debug("http request", {{"method", req.method},
                                {"path", req.path},
                                {"status", std::to_string(res.status)},
                                {"remote", req.remote_addr}});
  });
}

bool WebServer::Impl::serve(Connection& c, bool last) {
  // A body the stage did not wait for (chunked) gets as long as a head does.
  ConnectionStream stream(c, std::chrono::steady_clock::now() + stage_limits().header_timeout);
  struct Current {
    explicit Current(ConnectionStream* s) { ConnectionStream::current() = s; }
    ~Current() { ConnectionStream::current() = nullptr; }
  } current(&stream);
  bool closed = false;
  return router.serve(stream, last, closed) && !closed;
}

// Each connection starts from the context in force when it is accepted, so
// that rotated certificates serve without a restart.
SSL* WebServer::Impl::new_session() const {
  const auto state = watch->current();
  return state->tls ? SSL_new(state->tls.get()) : nullptr;
}

void WebServer::Impl::route(httplib::Server& srv) {
  const Handlers& h = handlers;
  // telemetry_path_problem() let only plain characters through; '.' is the one
  // that means more in a regular expression.
  std::string pattern;
  for (char c : options.telemetry_path) pattern += c == '.' ? std::string("\\.") : std::string(1, c);
  srv.Get(pattern, [this](const httplib::Request& req, httplib::Response& res) {
    scrape(options.telemetry_path.c_str(), handlers.metrics, slots, req, res);
  });
  srv.Get("/probe", [this](const httplib::Request& req, httplib::Response& res) {
    scrape("/probe", handlers.probe, slots, req, res);
  });
  // Named copies: clang 14 cannot capture structured bindings.
  for (const auto& route : {std::pair{"/", &h.landing_page}, std::pair{"/runbook", &h.runbook}})
    srv.Get(route.first, [path = route.first, page = route.second](const httplib::Request&, httplib::Response& res) {
      if (!*page) return plain(res, 404, "Not Found\n");
      guarded(path, res, [&] { res.set_content((*page)(), kHtml); });
    });
  srv.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) { plain(res, 200, "OK\n"); });
  srv.Get("/-/ready", [&h](const httplib::Request&, httplib::Response& res) {
    guarded("/-/ready", res, [&] {
      const bool ready = !h.ready || h.ready();
      plain(res, ready ? 200 : 503, ready ? "OK\n" : "Service Unavailable\n");
    });
  });
  // A content-reader route, because httplib otherwise reads a POST without
  // Content-Length until the connection closes and answers 400: that is what
  // `curl -X POST .../-/reload`, as every Prometheus guide writes it, sends.
  srv.Post("/-/reload",
           [&h](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read_body) {
             if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))
               read_body([](const char*, size_t) { return true; });  // ignored, but off the connection
             if (!h.reload) return plain(res, 403, "Lifecycle API is not enabled.\n");
             guarded("/-/reload", res, [&] {
               const auto [ok, message] = h.reload();
               plain(res, ok ? 200 : 500, ok ? "OK\n" : message + "\n");
             });
           });
  srv.Get("/-/reload", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    plain(res, 405, "This endpoint requires a POST request.\n");
  });
}

WebServer::WebServer(ServerOptions options, WebConfig config, Handlers handlers)
    : impl_(std::make_unique<Impl>(options.max_requests)) {
  impl_->options = std::move(options);
  impl_->config = std::move(config);
  impl_->handlers = std::move(handlers);
}

WebServer::WebServer(std::string listen_address, WebConfig config, Handlers handlers)
    : WebServer(ServerOptions{{std::move(listen_address)}, "/metrics", 0, ""}, std::move(config), std::move(handlers)) {
}

WebServer::~WebServer() { stop(); }

int WebServer::Impl::listen(const std::string& address) const {
  const auto addr = parse_listen_address(address);
  if (!addr) throw std::runtime_error("invalid listen address \"" + address + "\"");
  const auto& [host, port] = *addr;
  std::string error;
  // All interfaces: dual-stack where IPv6 exists, IPv4 otherwise.
  int fd = open_listener(host.empty() ? "::" : host, port, error);
  if (fd < 0 && host.empty()) fd = open_listener("0.0.0.0", port, error);
  if (fd < 0) throw std::runtime_error("cannot listen on " + address + ": " + error);
  return fd;
}

void WebServer::start() {
  auto& im = *impl_;
  std::lock_guard lock(im.mutex);
  if (im.stage) throw std::logic_error("web server already started");
  if (im.options.listen_addresses.empty()) throw std::runtime_error("no listen address");
  if (auto problem = telemetry_path_problem(im.options.telemetry_path); !problem.empty())
    throw std::runtime_error("telemetry path " + im.options.telemetry_path + ": " + problem);
  im.watch = std::make_unique<WebConfigWatch>(im.options.web_config_file, im.config);
  if (!im.routed) {
    im.configure();
    im.route(im.router);
    im.routed = true;
  }
  // Every address is bound before any is served, so a bad one serves nothing.
  std::vector<int> fds;
  try {
    for (const auto& address : im.options.listen_addresses) fds.push_back(im.listen(address));
  } catch (...) {
    for (int fd : fds) ::close(fd);
    throw;
  }
  std::vector<int> ports;
  for (int fd : fds) ports.push_back(bound_port(fd));
  ConnectionStage::NewSession tls;
  if (im.config.tls()) tls = [&im] { return im.new_session(); };
  im.stage = std::make_unique<ConnectionStage>(std::move(fds), stage_limits(), std::move(tls),
                                               [&im](Connection& c, bool last) { return im.serve(c, last); });
  im.stage->start();
  im.ports = std::move(ports);
  for (size_t i = 0; i < im.ports.size(); ++i)
    log::info("listening", {{"address", im.options.listen_addresses[i]},
                            {"port", std::to_string(im.ports[i])},
                            {"tls", im.config.tls() ? "true" : "false"},
                            {"basic_auth", im.config.auth() ? "true" : "false"},
                            {"max_connections", std::to_string(im.stage->max_connections())}});
}

void WebServer::stop() {
  auto& im = *impl_;
  std::lock_guard lock(im.mutex);
  if (im.stage) im.stage->stop();
  im.stage.reset();
  im.ports.clear();
}

std::string WebServer::reload_web_config() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->watch) throw std::logic_error("web server not started");
  return impl_->watch->reload();
}

std::vector<int> WebServer::ports() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->ports;
}

int WebServer::port() const {
  const auto all = ports();
  return all.empty() ? -1 : all.front();
}

}  // namespace coinw::web
