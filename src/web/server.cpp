// The only file that sees httplib.
#include "web/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "log/log.h"
#include "web/auth.h"
#include "web/tls.h"
#include "web/web_config_watch.h"

namespace coinw::web {
namespace {

constexpr const char* kText = "text/plain; charset=utf-8";
constexpr const char* kHtml = "text/html; charset=utf-8";
// An idle keep-alive connection holds a pooled thread until it times out, so the
// pool is sized for many scrapers rather than for CPU.
constexpr std::size_t kThreads = 64;
constexpr std::size_t kKeepAliveMaxRequests = 5;
constexpr time_t kKeepAliveSeconds = 2;  // also bounds how long stop() waits on idle connections
constexpr time_t kReadTimeoutSeconds = 30;
constexpr time_t kWriteTimeoutSeconds = 60;
constexpr std::size_t kMaxRequestBody = 64 * 1024;
constexpr int kListenBacklog = 1024;

// httplib listens with a backlog of 5, so a burst of scrapers overflows the
// accept queue and waits on SYN retransmits; listen() again raises it. The
// socket is protected in httplib: naming it through a derived class reaches it.
struct ListeningSocket : httplib::Server {
  static socket_t of(const httplib::Server& s) { return s.*(&ListeningSocket::svr_sock_); }
};

std::optional<double> parse_timeout(const std::string& s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v <= 0)
    return std::nullopt;
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

// Writes shared parts as they are; httplib compresses only bodies it owns.
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
    size_t start = 0;
    for (const auto& p : *parts) {
      if (offset < start + p->size()) {
        const size_t skip = offset - start;
        if (!sink.write(p->data() + skip, p->size() - skip)) return false;
        if (start + p->size() == total && *on_sent) (*on_sent)();
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
  // One httplib server per listen address: an httplib server owns one socket.
  struct Listener {
    std::string address;
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int port = -1;
  };
  std::vector<Listener> listeners;

  std::unique_ptr<httplib::Server> make_server() const;
  void configure(httplib::Server& srv);
  void route(httplib::Server& srv);
  int bind(httplib::Server& srv, const std::string& host, int requested) const;
  Listener listen(const std::string& address);
};

std::unique_ptr<httplib::Server> WebServer::Impl::make_server() const {
  if (!config.tls()) return std::make_unique<httplib::Server>();
  std::string error;
  auto srv = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    error = configure_tls(ctx, config);
    // Each connection moves to the context in force when its ClientHello
    // arrives, so that new certificates serve without a restart.
    SSL_CTX_set_client_hello_cb(
        &ctx,
        [](SSL* ssl, int*, void* arg) {
          const auto state = static_cast<WebConfigWatch*>(arg)->current();
          use_tls_context(*ssl, *state->tls, state->config);
          return SSL_CLIENT_HELLO_SUCCESS;
        },
        watch.get());
    return error.empty();
  });
  if (!srv->is_valid()) throw std::runtime_error("TLS setup failed: " + (error.empty() ? "no SSL context" : error));
  return srv;
}

void WebServer::Impl::configure(httplib::Server& srv) {
  srv.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  // A keep-alive connection keeps its worker for up to this many requests; with
  // more busy scrapers than workers, a high count starves the queued ones (at
  // 100, some of 200 concurrent scrapers waited over 10 s: tests/e2e/load_test.py).
  srv.set_keep_alive_max_count(kKeepAliveMaxRequests);
  srv.set_keep_alive_timeout(kKeepAliveSeconds);
  srv.set_read_timeout(kReadTimeoutSeconds);
  srv.set_write_timeout(kWriteTimeoutSeconds);
  srv.set_payload_max_length(kMaxRequestBody);
  // httplib writes headers and body separately: without this, every answer on a
  // reused connection (Prometheus keeps them) waits ~40 ms for a delayed ACK.
  srv.set_tcp_nodelay(true);
  // httplib's default adds SO_REUSEPORT, which would let a second exporter share
  // the port silently. V6ONLY off lets "::" take IPv4 too (it fails harmlessly on
  // IPv4 sockets).
  srv.set_socket_options([](socket_t sock) {
    int yes = 1, no = 0;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
  });
  httplib::Headers headers;
  for (const auto& [k, v] : config.headers) headers.emplace(k, v);
  srv.set_default_headers(std::move(headers));

  // Always installed: a reloaded web configuration can add users.
  srv.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const auto state = watch->current();
    if (!state->auth || state->auth->check(req.get_header_value("Authorization")))
      return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", R"(Basic realm="coinw-exporter")");
    plain(res, 401, "Unauthorized\n");
    return httplib::Server::HandlerResponse::Handled;
  });
  // httplib leaves unmatched requests with an empty body.
  srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(reason(res.status) + "\n", kText);
  });
  srv.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    if (!log::enabled(log::Level::debug)) return;
    // Headers are left out on purpose: Authorization must never reach the log.
    log::debug("http request", {{"method", req.method},
                                {"path", req.path},
                                {"status", std::to_string(res.status)},
                                {"remote", req.remote_addr}});
  });
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
  for (const auto& [path, page] : {std::pair{"/", &h.landing_page}, std::pair{"/runbook", &h.runbook}})
    srv.Get(path, [path, page](const httplib::Request&, httplib::Response& res) {
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
  srv.Post("/-/reload", [&h](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& read_body) {
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

int WebServer::Impl::bind(httplib::Server& srv, const std::string& host, int requested) const {
  if (requested == 0) return srv.bind_to_any_port(host);
  return srv.bind_to_port(host, requested) ? requested : -1;
}

WebServer::WebServer(ServerOptions options, WebConfig config, Handlers handlers)
    : impl_(std::make_unique<Impl>(options.max_requests)) {
  impl_->options = std::move(options);
  impl_->config = std::move(config);
  impl_->handlers = std::move(handlers);
}

WebServer::WebServer(std::string listen_address, WebConfig config, Handlers handlers)
    : WebServer(ServerOptions{{std::move(listen_address)}, "/metrics", 0, ""}, std::move(config), std::move(handlers)) {}

WebServer::~WebServer() { stop(); }

WebServer::Impl::Listener WebServer::Impl::listen(const std::string& address) {
  const auto addr = parse_listen_address(address);
  if (!addr) throw std::runtime_error("invalid listen address \"" + address + "\"");
  Listener l{address, make_server(), {}, -1};
  configure(*l.server);
  route(*l.server);
  const auto& [host, requested] = *addr;
  if (host.empty()) {
    // All interfaces: dual-stack where IPv6 exists, IPv4 otherwise.
    l.port = bind(*l.server, "::", requested);
    if (l.port < 0) l.port = bind(*l.server, "0.0.0.0", requested);
  } else {
    l.port = bind(*l.server, host, requested);
  }
  if (l.port < 0) throw std::runtime_error("cannot listen on " + address);
  // Best effort: on failure the socket still listens with httplib's backlog.
  ::listen(ListeningSocket::of(*l.server), kListenBacklog);
  return l;
}

void WebServer::start() {
  auto& im = *impl_;
  std::lock_guard lock(im.mutex);
  if (!im.listeners.empty()) throw std::logic_error("web server already started");
  if (im.options.listen_addresses.empty()) throw std::runtime_error("no listen address");
  if (auto problem = telemetry_path_problem(im.options.telemetry_path); !problem.empty())
    throw std::runtime_error("telemetry path " + im.options.telemetry_path + ": " + problem);
  im.watch = std::make_unique<WebConfigWatch>(im.options.web_config_file, im.config);
  // Every address is bound before any is served, so a bad one serves nothing.
  std::vector<Impl::Listener> bound;
  for (const auto& address : im.options.listen_addresses) bound.push_back(im.listen(address));
  for (auto& l : bound) {
    l.thread = std::thread([s = l.server.get()] { s->listen_after_bind(); });
    // httplib's stop() is only safe once the accept loop runs.
    while (!l.server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    log::info("listening", {{"address", l.address},
                            {"port", std::to_string(l.port)},
                            {"tls", im.config.tls() ? "true" : "false"},
                            {"basic_auth", im.config.auth() ? "true" : "false"}});
  }
  im.listeners = std::move(bound);
}

void WebServer::stop() {
  auto& im = *impl_;
  std::lock_guard lock(im.mutex);
  for (auto& l : im.listeners) l.server->stop();
  for (auto& l : im.listeners)
    if (l.thread.joinable()) l.thread.join();
  im.listeners.clear();
}

std::string WebServer::reload_web_config() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->watch) throw std::logic_error("web server not started");
  return impl_->watch->reload();
}

std::vector<int> WebServer::ports() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<int> out;
  for (const auto& l : impl_->listeners) out.push_back(l.port);
  return out;
}

int WebServer::port() const {
  const auto all = ports();
  return all.empty() ? -1 : all.front();
}

}  // namespace coinw::web
