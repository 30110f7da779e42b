#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "api/client.h"
#include "api/signing.h"
#include "common/coinw_facts.h"
#include "common/timefmt.h"
#include "sim/admin.h"
#include "sim/endpoints.h"
#include "sim/faults.h"
#include "sim/funnel.h"
#include "sim/rate_window.h"
#include "sim/simulator.h"

namespace coinw::sim {
namespace {

constexpr const char* kJson = "application/json";

// The client's table: names (its `endpoint` label, /admin/arrivals, --deny) and families.
using api::Endpoint;

// The spot endpoints (the sub-account commands) share their limits and envelopes.
bool is_spot(Endpoint ep) { return api::info(ep).family == api::Family::spot; }

// The spot endpoints by command; any other command is refused.
std::optional<Endpoint> spot_endpoint(std::string_view command) {
  if (command == facts::kSubAccountListCommand) return Endpoint::sub_account_list;
  if (command == facts::kSubAccountApiKeyCommand) return Endpoint::sub_account_apikey;
  if (command == facts::kTransferAvailableCommand) return Endpoint::sub_account_transfer_available;
  return std::nullopt;
}
std::string endpoint_name(Endpoint e) { return std::string(api::to_string(e)); }
// Arrivals kept for /admin/arrivals; beyond this many the oldest half goes.
constexpr size_t kMaxArrivals = 100000;

struct Reply {
  int status = 200;
  std::string body;
};

}  // namespace

nlohmann::json Counters::to_json() const {
  auto ep = [](const EndpointCounters& c) {
    return nlohmann::json{{"requests", c.requests}, {"violations", c.violations}};
  };
  nlohmann::json by_kind = nlohmann::json::object();
  for (auto k : kAllFaultKinds) {
    auto it = faults_by_kind.find(fault_name(k));
    by_kind[fault_name(k)] = it == faults_by_kind.end() ? 0 : it->second;
  }
  return {{"endpoints",
           {{"invitee_assets", ep(invitee_assets)},
            {"sub_account_list", ep(sub_account_list)},
            {"invitee_list", ep(invitee_list)},
            {"invitee_volume", ep(invitee_volume)},
            {"sub_account_apikey", ep(sub_account_apikey)},
            {"sub_account_transfer_available", ep(sub_account_transfer_available)}}},
          {"spot_commands", spot_commands},
          {"bad_signatures", bad_signatures},
          {"auth_failures", auth_failures},
          {"rate_limited", rate_limited},
          {"faults_injected", faults_injected},
          {"faults_by_kind", std::move(by_kind)},
          {"peers", peers},
          {"proxy_credentials", proxy_credentials}};
}

int64_t real_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Simulator::Impl {
  Options opt;
  int offset_s = 0;
  const int64_t anchor;  // now() at construction
  const TimePoint started = SteadyClock::now();

  mutable std::mutex mu;  // guards everything below up to `server`
  Dataset data;
  Counters counters;
  KeyedWindows invitee_windows, sub_account_windows, spot_ip_windows, spot_user_windows;
  FaultInjector faults;
  Drift drift;
  api::QueryForm sign_form;
  int clock_skew_s;
  std::vector<std::string> denied;
  std::vector<ArrivalRecord> arrivals;
  uint64_t delay_rng;

  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int bound_port = 0;

  // Lets stop() cut short handlers that sleep (delay, `slow` fault).
  std::mutex sleep_mu;
  std::condition_variable sleep_cv;
  bool stopping = false;

  Impl(Options o, int offset)
      : opt(std::move(o)),
        offset_s(offset),
        anchor(opt.now ? opt.now : real_now_s()),
        data(opt.seed, opt.invitees, opt.sub_accounts, Anchor{anchor, offset_s}),
        invitee_windows(opt.limits.invitee_per_s),
        sub_account_windows(opt.limits.sub_account_per_s),
        spot_ip_windows(opt.limits.spot_ip_per_s),
        spot_user_windows(opt.limits.spot_user_per_s),
        faults(opt.seed ^ 0xFA017ULL),
        drift(opt.drift),
        sign_form(opt.sign_form),
        clock_skew_s(opt.clock_skew_s),
        denied(opt.denied),
        delay_rng(opt.seed ^ 0xDE1A7ULL) {}

  int64_t now_s() const {
    if (!opt.now) return real_now_s();
    return anchor + std::chrono::duration_cast<std::chrono::seconds>(SteadyClock::now() - started).count();
  }

  void sleep_ms(int ms) {
    std::unique_lock lock(sleep_mu);
    sleep_cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping; });
  }

  Rendering rendering(const httplib::Request& req) const {
    std::lock_guard lock(mu);
    return {offset_s, opt.quirks, hash_text(req.target), drift};
  }

  // The arrival: delay, window accounting and the fault decision, in that order.
  // Every arrival counts toward the windows; injected faults are never violations.
  struct Arrival {
    bool limited = false;
    std::optional<FaultKind> fault;
    uint64_t fault_seq = 0;
  };
  Arrival arrive(Endpoint ep, const httplib::Request& req, const std::string& api_key) {
    if (opt.delay_max_ms > 0) {
      int delay;
      {
        std::lock_guard lock(mu);
        delay = static_cast<int>(random_between(delay_rng, 0, opt.delay_max_ms));
      }
      sleep_ms(delay);
    }
    std::lock_guard lock(mu);
    auto now = SteadyClock::now();  // taken under the lock, so arrivals are ordered
    EndpointCounters& c = ep == Endpoint::invitee_assets       ? counters.invitee_assets
                          : ep == Endpoint::invitee_list       ? counters.invitee_list
                          : ep == Endpoint::invitee_volume     ? counters.invitee_volume
                          : ep == Endpoint::sub_account_list   ? counters.sub_account_list
                          : ep == Endpoint::sub_account_apikey ? counters.sub_account_apikey
                                                               : counters.sub_account_transfer_available;
    ++c.requests;
    if (arrivals.size() >= kMaxArrivals) arrivals.erase(arrivals.begin(), arrivals.begin() + kMaxArrivals / 2);
    arrivals.push_back(
        {endpoint_name(ep), std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count()});
    ++counters.peers[req.remote_addr];
    if (!req.get_header_value("Proxy-Authorization").empty()) ++counters.proxy_credentials;
    Arrival a;
    // The funnel endpoints document no limit of their own: counted with the
    // invitee-assets endpoint's 5/s, the strictest reading.
    if (!is_spot(ep)) {
      a.limited = !invitee_windows.arrive(api_key, now);
    } else {
      // The sub-account commands share one window per key. Record in every
      // window, even after one refuses.
      bool ok = sub_account_windows.arrive(api_key, now);
      ok = spot_ip_windows.arrive(req.remote_addr, now) && ok;
      ok = spot_user_windows.arrive(api_key, now) && ok;
      a.limited = !ok;
    }
    a.fault = faults.next();
    if (a.fault) {
      ++counters.faults_injected;
      a.fault_seq = ++counters.faults_by_kind[fault_name(*a.fault)];
      if (*a.fault == FaultKind::storm) ++counters.rate_limited;
    } else if (a.limited) {
      ++c.violations;
      ++counters.rate_limited;
    }
    return a;
  }

  Reply invitee_assets(const httplib::Request& req) {
    auto r = rendering(req);
    auto q = req.target.find('?');
    const std::string_view target_query = q == std::string::npos ? "" : std::string_view(req.target).substr(q + 1);
    auto params = api::split_query(target_query);
    if (auto refused = check_futures(Endpoint::invitee_assets, req, r, target_query, params)) return *refused;
    if (r.drift.refuse_over_cap)
      if (auto* size = find_param(params, "pageSize"); size && parse_digits(*size, 9).value_or(0) > opt.page_size_cap)
        return {200, futures_error_body(kBadParam, "pageSize is over the maximum", r)};

    auto parsed = parse_invitee_query(params, opt.default_page_size, opt.page_size_cap, offset_s);
    if (auto* err = std::get_if<ParamError>(&parsed)) return {200, futures_error_body(err->code, err->msg, r)};
    const auto& query = std::get<InviteeQuery>(parsed);
    std::lock_guard lock(mu);
    take_drift(r);
    Reply reply{200, invitee_assets_body(data, query, r)};
    data.insert_lowest(query.quote, drift.insert_per_page);
    data.remove_lowest(query.quote, drift.remove_per_page);
    return reply;
  }

  // The funnel endpoints (funnel.h): the sign-up list (GET) and the volume
  // (POST, its JSON body signed as sent). Drift: total, empty answers, and
  // insert_per_page sign-ups at now after each list page, which shifts every
  // later row of the newest-first list.
  Reply funnel(const httplib::Request& req, bool list) {
    auto r = rendering(req);
    auto q = req.target.find('?');
    const std::string_view target_query = q == std::string::npos ? "" : std::string_view(req.target).substr(q + 1);
    auto params = api::split_query(target_query);
    if (auto refused =
            check_futures(list ? Endpoint::invitee_list : Endpoint::invitee_volume, req, r, target_query, params))
      return *refused;
    std::lock_guard lock(mu);
    const int64_t now = now_s();
    auto body = [&](const auto& parsed, auto render) {
      if (auto* e = std::get_if<ParamError>(&parsed)) return futures_error_body(e->code, e->msg, r);
      take_drift(r);
      return render(data, std::get<0>(parsed), r);
    };
    if (!list)
      return {200, body(parse_volume_body(req.body, offset_s, now, drift.volume_max_range_days), volume_list_body)};
    Reply reply{
        200, body(parse_registration_query(params, offset_s, now, drift.list_max_range_days), registration_list_body)};
    for (int i = 0; i < drift.insert_per_page; ++i) data.add_signup(now);
    return reply;
  }

  // Holds mu: the drift an answer renders with, counting down its switches.
  void take_drift(Rendering& r) {
    r.drift = drift;
    r.empty = drift.empty_answers > 0;
    if (r.empty) --drift.empty_answers;
    r.formats_changed = drift.formats_after == 0;
    if (drift.formats_after > 0) --drift.formats_after;
  }

  // A key without the permission: CoinW's documented code for it (the spot
  // side's own code is not documented). Holds mu.
  bool is_denied(Endpoint ep) const {
    return std::find(denied.begin(), denied.end(), endpoint_name(ep)) != denied.end();
  }

  // The futures scheme's key, timestamp and signature, then the key's
  // permission for `ep`: the refusal, if any.
  std::optional<Reply> check_futures(Endpoint ep, const httplib::Request& req, const Rendering& r,
                                     std::string_view target_query, const api::QueryParams& params) {
    const std::string path = req.target.substr(0, req.target.find('?'));
    auto refuse = [&](uint64_t Counters::*counter, const char* code, const char* msg) {
      std::lock_guard lock(mu);
      ++(counters.*counter);
      return Reply{200, futures_error_body(code, msg, r)};
    };
    auto key = req.get_header_value("api_key");
    if (!api::constant_time_equal(key, opt.api_key))
      return refuse(&Counters::auth_failures, kAuthError, "authentication error: invalid api_key");
    auto ts = parse_digits(req.get_header_value("timestamp"), 15);
    if (!ts) return refuse(&Counters::auth_failures, kAuthError, "authentication error: invalid timestamp");
    api::QueryForm form;
    int64_t now_ms;
    {
      std::lock_guard lock(mu);
      form = sign_form;
      now_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count() +
          clock_skew_s * int64_t{1000};
    }
    // The real code for a stale timestamp is undocumented; 6000 (auth) is our choice.
    if (*ts < now_ms - opt.timestamp_window_ms || *ts > now_ms + opt.timestamp_window_ms)
      return refuse(&Counters::auth_failures, kAuthError, "timestamp expired");
    auto expected = form == api::QueryForm::raw
                        ? api::futures_sign(opt.secret_key, *ts, req.method, path, params, req.body)
                        : api::hmac_sha256_base64(
                              opt.secret_key, api::futures_prehash_of(*ts, req.method, path, target_query, req.body));
    if (!api::constant_time_equal(req.get_header_value("sign"), expected))
      return refuse(&Counters::bad_signatures, kBadSign, "invalid signature");
    std::lock_guard lock(mu);
    if (is_denied(ep)) return Reply{200, futures_error_body(kPermission, "no permission", r)};
    return std::nullopt;
  }

  Reply spot(Endpoint ep, const httplib::Request& req, const api::QueryParams& params) {
    auto r = rendering(req);
    auto refuse = [&](uint64_t Counters::*counter, const char* code, const char* msg) {
      std::lock_guard lock(mu);
      ++(counters.*counter);
      return Reply{200, spot_error_body(code, msg, r)};
    };
    const std::string* key = find_param(params, "api_key");
    if (!key || !api::constant_time_equal(*key, opt.api_key))
      return refuse(&Counters::auth_failures, kSpotKeyError, "api_key error");
    const std::string* sign = find_param(params, "sign");
    if (!sign || !api::constant_time_equal(*sign, api::spot_sign(params, *key, opt.secret_key)))
      return refuse(&Counters::bad_signatures, kSpotSignError, "signature error");
    std::lock_guard lock(mu);
    if (is_denied(ep)) return {200, spot_error_body(kPermission, "no permission", r)};
    r.drift = drift;
    if (ep == Endpoint::sub_account_list) return {200, sub_account_list_body(data, r)};
    if (ep == Endpoint::sub_account_apikey) {
      r.empty = drift.empty_key_answers > 0;
      if (r.empty) --drift.empty_key_answers;
      return {200, sub_account_apikey_body(data, r)};
    }
    auto query = parse_transfer_query(params);
    if (auto* err = std::get_if<ParamError>(&query)) return {200, spot_error_body(err->code, err->msg, r)};
    auto body = transfer_available_body(data, std::get<TransferQuery>(query), r);
    if (auto* err = std::get_if<ParamError>(&body)) return {200, spot_error_body(err->code, err->msg, r)};
    return {200, std::get<std::string>(std::move(body))};
  }

  // Runs one API request through arrival, faults and the endpoint itself.
  void serve(Endpoint ep, const httplib::Request& req, httplib::Response& res, const std::function<Reply()>& answer,
             const std::string& api_key) {
    bool spot = is_spot(ep);
    auto a = arrive(ep, req, api_key);
    auto limited_body = [&] {
      return spot ? spot_error_body(kRateLimited, "API access frequently", rendering(req))
                  : futures_error_body(kRateLimited, "API access frequently", rendering(req));
    };
    if (!a.fault) {
      Reply reply = a.limited ? Reply{200, limited_body()} : answer();
      res.status = reply.status;
      res.set_content(reply.body, kJson);
      return;
    }
    switch (*a.fault) {
      case FaultKind::storm: res.set_content(limited_body(), kJson); return;
      case FaultKind::http500:
        res.status = 500;
        // Alternate between a JSON and a plain-text body: gateways produce both.
        if (a.fault_seq % 2)
          res.set_content(R"({"code":"500","msg":"internal error"})", kJson);
        else
          res.set_content("Internal Server Error", "text/plain");
        return;
      case FaultKind::html:
        res.status = 502;
        res.set_content(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
            "text/html");
        return;
      case FaultKind::malformed:
        res.set_content(R"({"code":"0","msg":"success","data":{"total":1,"list":[{"uid":'x',}]})", kJson);
        return;
      case FaultKind::empty: res.set_content("", kJson); return;
      case FaultKind::slow: {
        int ms;
        {
          std::lock_guard lock(mu);
          ms = faults.config().slow_ms;
        }
        sleep_ms(ms);
        Reply reply = answer();
        res.status = reply.status;
        res.set_content(reply.body, kJson);
        return;
      }
      case FaultKind::truncated: {
        Reply reply = answer();
        res.set_content(reply.body.substr(0, reply.body.size() / 2), kJson);
        return;
      }
      case FaultKind::drop: {
        // Declares the full length, sends half, then fails: httplib closes the socket.
        auto body = std::make_shared<std::string>(answer().body);
        res.set_content_provider(body->size(), kJson, [body](size_t offset, size_t length, httplib::DataSink& sink) {
          size_t half = body->size() / 2;
          if (offset >= half) return false;
          sink.write(body->data() + offset, std::min(length, half - offset));
          return true;
        });
        return;
      }
    }
  }
};

Simulator::Simulator(Options options) {
  if (options.invitees < 0 || options.sub_accounts < 0)
    throw std::invalid_argument("invitees and sub-accounts must be >= 0");
  if (options.page_size_cap < 1 || options.default_page_size < 1)
    throw std::invalid_argument("page sizes must be >= 1");
  if (options.timestamp_window_ms < 0 || options.delay_max_ms < 0)
    throw std::invalid_argument("timestamp window and delay must be >= 0");
  if (options.tls_cert.empty() != options.tls_key.empty())
    throw std::invalid_argument("TLS needs both a certificate and a key");
  auto offset = parse_utc_offset(options.time_zone_offset);
  if (!offset) throw std::invalid_argument("time zone offset must be UTC, Z or look like +08:00");
  if (options.now < 0) throw std::invalid_argument("now must be unix seconds, or 0 for the real time");
  auto faults = options.faults;
  impl_ = std::make_unique<Impl>(std::move(options), *offset);
  impl_->faults.configure(faults);
}

Simulator::~Simulator() { stop(); }

void Simulator::start() {
  auto& im = *impl_;
  if (im.server) throw std::logic_error("simulator already started");
  {
    std::lock_guard lock(im.sleep_mu);
    im.stopping = false;
  }
  if (!im.opt.tls_cert.empty()) {
    for (const auto& f : {im.opt.tls_cert, im.opt.tls_key})
      if (!std::filesystem::exists(f)) throw std::runtime_error("TLS file not found: " + f);
    im.server = std::make_unique<httplib::SSLServer>(im.opt.tls_cert.c_str(), im.opt.tls_key.c_str());
  } else {
    im.server = std::make_unique<httplib::Server>();
  }
  auto& srv = *im.server;
  if (!srv.is_valid()) {
    im.server.reset();
    throw std::runtime_error("cannot load TLS certificate/key");
  }
  // Enough workers that a few `slow` faults do not starve everything else, and a
  // short keep-alive so stop() does not wait on idle connections.
  srv.new_task_queue = [] { return new httplib::ThreadPool(16); };
  srv.set_keep_alive_timeout(1);
  // httplib writes headers and body separately; with Nagle on, a keep-alive client's
  // delayed ACK holds every answer ~40 ms, a latency CoinW's own servers do not add.
  srv.set_tcp_nodelay(true);
  // httplib's default adds SO_REUSEPORT, which would let a second simulator share
  // the port silently; a busy port must be an error.
  srv.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  srv.Get(facts::kInviteeAssetsPath, [&im](const httplib::Request& req, httplib::Response& res) {
    im.serve(
        Endpoint::invitee_assets, req, res, [&] { return im.invitee_assets(req); }, req.get_header_value("api_key"));
  });
  srv.Get(facts::kInviteeListPath, [&im](const httplib::Request& req, httplib::Response& res) {
    im.serve(
        Endpoint::invitee_list, req, res, [&] { return im.funnel(req, true); }, req.get_header_value("api_key"));
  });
  srv.Post(facts::kInviteeVolumePath, [&im](const httplib::Request& req, httplib::Response& res) {
    im.serve(
        Endpoint::invitee_volume, req, res, [&] { return im.funnel(req, false); }, req.get_header_value("api_key"));
  });
  srv.Post(facts::kPrivateSpotPath, [&im](const httplib::Request& req, httplib::Response& res) {
    auto q = req.target.find('?');
    auto params = api::split_query(q == std::string::npos ? "" : std::string_view(req.target).substr(q + 1));
    const std::string* command = find_param(params, "command");
    {
      // Every command is counted, so tests can prove the exporter sends only read-only ones;
      // past kMaxSpotCommands names, under one, so made-up names cannot grow the map without end.
      std::lock_guard lock(im.mu);
      auto& counts = im.counters.spot_commands;
      std::string name = command ? command->substr(0, 64) : "";
      if (!counts.contains(name) && counts.size() >= kMaxSpotCommands) name = kOtherSpotCommands;
      ++counts[name];
    }
    const auto ep = command ? spot_endpoint(*command) : std::nullopt;
    if (!ep) {
      // Only the read-only commands are simulated; CoinW answers unknown ones with code 500.
      res.set_content(spot_error_body(kInternal, "unsupported command", im.rendering(req)), kJson);
      return;
    }
    const std::string* key = find_param(params, "api_key");
    im.serve(
        *ep, req, res, [&] { return im.spot(*ep, req, params); }, key ? *key : "");
  });
  // Every answer carries the server's time, as CoinW's do.
  srv.set_post_routing_handler([&im](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(im.mu);
    res.set_header("Date", format_http_date(real_now_s() + im.clock_skew_s));
  });
  register_admin_routes(srv, *this);
  // Registered last, so they only catch what nothing else matched.
  auto not_found = [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"code":404,"msg":"Not Found"})", kJson);
  };
  srv.Get(".*", not_found);
  srv.Post(".*", not_found);
  srv.Put(".*", not_found);
  srv.Delete(".*", not_found);
  srv.Patch(".*", not_found);
  srv.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(R"({"code":"500","msg":"internal error"})", kJson);
  });

  int port = im.opt.port == 0 ? srv.bind_to_any_port(im.opt.host) : im.opt.port;
  if (port < 0 || (im.opt.port != 0 && !srv.bind_to_port(im.opt.host, port))) {
    im.server.reset();
    throw std::runtime_error("cannot listen on " + im.opt.host + ":" + std::to_string(im.opt.port));
  }
  im.bound_port = port;
  im.thread = std::thread([&srv] { srv.listen_after_bind(); });
  // stop() is only safe once the accept loop runs.
  while (!srv.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Simulator::stop() {
  auto& im = *impl_;
  if (!im.server) return;
  {
    std::lock_guard lock(im.sleep_mu);
    im.stopping = true;
  }
  im.sleep_cv.notify_all();
  im.server->stop();
  if (im.thread.joinable()) im.thread.join();
  im.server.reset();
}

int Simulator::port() const { return impl_->bound_port; }

std::string Simulator::url() const {
  return std::string(impl_->opt.tls_cert.empty() ? "http://" : "https://") + impl_->opt.host + ":" +
         std::to_string(impl_->bound_port);
}

Counters Simulator::counters() const {
  std::lock_guard lock(impl_->mu);
  return impl_->counters;
}

void Simulator::reset_counters() {
  std::lock_guard lock(impl_->mu);
  impl_->counters = {};
  impl_->arrivals.clear();
}

std::vector<ArrivalRecord> Simulator::arrivals() const {
  std::lock_guard lock(impl_->mu);
  return impl_->arrivals;
}

void Simulator::set_denied(std::vector<std::string> endpoints) {
  std::lock_guard lock(impl_->mu);
  impl_->denied = std::move(endpoints);
}

std::vector<std::string> Simulator::denied() const {
  std::lock_guard lock(impl_->mu);
  return impl_->denied;
}

bool Simulator::freeze(int64_t spot_uid, bool frozen) {
  std::lock_guard lock(impl_->mu);
  auto* s = impl_->data.find_sub_account(spot_uid);
  if (s) s->frozen = frozen;
  return s != nullptr;
}

bool Simulator::set_trade(int64_t spot_uid, std::optional<bool> spot, std::optional<bool> contract) {
  std::lock_guard lock(impl_->mu);
  auto* s = impl_->data.find_sub_account(spot_uid);
  if (!s) return false;
  if (spot) s->spot_trade = *spot;
  if (contract) s->contract_trade = *contract;
  return true;
}

bool Simulator::set_balance(Quote quote, int64_t uid, int64_t units) {
  std::lock_guard lock(impl_->mu);
  auto* inv = impl_->data.find_invitee(quote, uid);
  if (!inv) return false;
  inv->balance = units;
  inv->update_time = impl_->now_s();
  return true;
}

std::optional<int64_t> Simulator::add_movement(Quote quote, int64_t uid, bool deposit, int64_t units) {
  std::lock_guard lock(impl_->mu);
  const int64_t t = impl_->now_s();
  if (!impl_->data.add_movement(quote, uid, {t, deposit, units})) return std::nullopt;
  return t;
}

std::optional<std::string> Simulator::add_api_key(int64_t spot_uid, const ApiKeyFlags& flags, std::string remark) {
  std::lock_guard lock(impl_->mu);
  ApiKey k;
  k.remark = std::move(remark);
  k.created_ms = impl_->now_s() * 1000;
  k.read_only = flags.read_only.value_or(true);
  k.ip_whitelist = flags.ip_whitelist.value_or(true);
  k.spot_trade = flags.spot_trade.value_or(false);
  k.contract_trade = flags.contract_trade.value_or(false);
  if (k.ip_whitelist) k.whitelist = {"198.51.100.7"};
  const ApiKey* added = impl_->data.add_api_key(spot_uid, std::move(k));
  if (!added) return std::nullopt;
  return added->key;
}

bool Simulator::set_api_key_flags(std::string_view key, const ApiKeyFlags& flags) {
  std::lock_guard lock(impl_->mu);
  ApiKey* k = impl_->data.find_api_key(key);
  if (!k) return false;
  for (auto [value, slot] :
       {std::pair{flags.read_only, &k->read_only}, std::pair{flags.ip_whitelist, &k->ip_whitelist},
        std::pair{flags.spot_trade, &k->spot_trade}, std::pair{flags.contract_trade, &k->contract_trade}})
    if (value) *slot = *value;
  return true;
}

bool Simulator::remove_api_key(std::string_view key) {
  std::lock_guard lock(impl_->mu);
  return impl_->data.remove_api_key(key);
}

bool Simulator::set_transferable(int64_t spot_uid, const std::string& coin, int64_t units) {
  std::lock_guard lock(impl_->mu);
  SubAccount* s = impl_->data.find_sub_account(spot_uid);
  if (!s) return false;
  s->transferable[coin] = units;
  return true;
}

int64_t Simulator::add_signup() {
  std::lock_guard lock(impl_->mu);
  return impl_->data.add_signup(impl_->now_s());
}

std::optional<int32_t> Simulator::book_trade(int64_t uid, int64_t units) {
  std::lock_guard lock(impl_->mu);
  const int32_t day = local_day(impl_->now_s(), impl_->offset_s);
  if (!impl_->data.book_trade(uid, day, units)) return std::nullopt;
  return day;
}

int64_t Simulator::now() const { return impl_->now_s(); }

void Simulator::set_sign_form(api::QueryForm form) {
  std::lock_guard lock(impl_->mu);
  impl_->sign_form = form;
}

api::QueryForm Simulator::sign_form() const {
  std::lock_guard lock(impl_->mu);
  return impl_->sign_form;
}

void Simulator::set_clock_skew(int seconds) {
  std::lock_guard lock(impl_->mu);
  impl_->clock_skew_s = seconds;
}

int Simulator::clock_skew() const {
  std::lock_guard lock(impl_->mu);
  return impl_->clock_skew_s;
}

void Simulator::add_invitees(Quote quote, int count) {
  std::lock_guard lock(impl_->mu);
  impl_->data.add_invitees(quote, count);
}

void Simulator::set_faults(const Faults& faults) {
  std::lock_guard lock(impl_->mu);
  impl_->faults.configure(faults);
}

void Simulator::set_drift(const Drift& drift) {
  std::lock_guard lock(impl_->mu);
  impl_->drift = drift;
}

Drift Simulator::drift() const {
  std::lock_guard lock(impl_->mu);
  return impl_->drift;
}

Faults Simulator::faults() const {
  std::lock_guard lock(impl_->mu);
  return impl_->faults.config();
}

nlohmann::json Simulator::dataset_json() const {
  std::lock_guard lock(impl_->mu);
  auto j = impl_->data.to_json(impl_->offset_s);
  j["timeZoneOffset"] = impl_->opt.time_zone_offset;
  j["pageSizeCap"] = impl_->opt.page_size_cap;
  j["defaultPageSize"] = impl_->opt.default_page_size;
  return j;
}

}  // namespace coinw::sim
