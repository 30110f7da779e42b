#include "sim/admin.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "common/timefmt.h"
#include "sim/simulator.h"

namespace coinw::sim {
namespace {

using nlohmann::json;
constexpr const char* kJson = "application/json";

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void fail(httplib::Response& res, int status, const std::string& error) {
  reply(res, status, {{"ok", false}, {"error", error}});
}

template <typename T>
std::optional<T> parse_number(const std::string& s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> parse_flag(const httplib::Request& req, const char* name, bool& bad) {
  if (!req.has_param(name)) return std::nullopt;
  auto v = req.get_param_value(name);
  if (v == "0" || v == "1") return v == "1";
  bad = true;
  return std::nullopt;
}

// The quote parameter defaults to usdt, like the real endpoint.
std::optional<Quote> quote_param(const httplib::Request& req) {
  return req.has_param("quote") ? parse_quote(req.get_param_value("quote")) : Quote::usdt;
}

int64_t path_uid(const httplib::Request& req) { return parse_number<int64_t>(req.matches[1]).value_or(-1); }

// A content-reader route: httplib 0.11 otherwise reads a POST without
// Content-Length until the connection closes and answers 400, which is what
// `curl -X POST .../freeze` (as the demo prints it) sends. Parameters are in the query.
template <class Handler>
void post(httplib::Server& srv, const std::string& pattern, Handler handler) {
  srv.Post(pattern, [handler](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))
      read([](const char*, size_t) { return true; });  // ignored, but off the connection
    handler(req, res);
  });
}

}  // namespace

void register_admin_routes(httplib::Server& srv, Simulator& sim) {
  srv.Get("/admin/counters",
          [&sim](const httplib::Request&, httplib::Response& res) { reply(res, 200, sim.counters().to_json()); });
  post(srv, "/admin/counters/reset", [&sim](const httplib::Request&, httplib::Response& res) {
    sim.reset_counters();
    reply(res, 200, {{"ok", true}});
  });
  srv.Get("/admin/arrivals", [&sim](const httplib::Request&, httplib::Response& res) {
    json out = json::array();
    for (const auto& a : sim.arrivals()) out.push_back({{"endpoint", a.endpoint}, {"at_ms", a.at_ms}});
    reply(res, 200, out);
  });
  srv.Get("/admin/dataset",
          [&sim](const httplib::Request&, httplib::Response& res) { reply(res, 200, sim.dataset_json()); });

  for (bool frozen : {true, false}) {
    std::string pattern = std::string(R"(/admin/sub-accounts/(\d+)/)") + (frozen ? "freeze" : "unfreeze");
    post(srv, pattern, [&sim, frozen](const httplib::Request& req, httplib::Response& res) {
      if (!sim.freeze(path_uid(req), frozen)) return fail(res, 404, "unknown sub-account");
      reply(res, 200, {{"ok", true}});
    });
  }
  post(srv, R"(/admin/sub-accounts/(\d+)/trade)", [&sim](const httplib::Request& req, httplib::Response& res) {
    bool bad = false;
    auto spot = parse_flag(req, "spot", bad);
    auto contract = parse_flag(req, "contract", bad);
    if (bad) return fail(res, 400, "spot and contract must be 0 or 1");
    if (!sim.set_trade(path_uid(req), spot, contract)) return fail(res, 404, "unknown sub-account");
    reply(res, 200, {{"ok", true}});
  });

  // API keys: flags as spot, contract, read_only and ip_whitelist (0 or 1).
  auto key_flags = [](const httplib::Request& req, bool& bad) {
    Simulator::ApiKeyFlags f;
    f.read_only = parse_flag(req, "read_only", bad);
    f.ip_whitelist = parse_flag(req, "ip_whitelist", bad);
    f.spot_trade = parse_flag(req, "spot", bad);
    f.contract_trade = parse_flag(req, "contract", bad);
    return f;
  };
  post(srv, R"(/admin/sub-accounts/(\d+)/api-keys)",
       [&sim, key_flags](const httplib::Request& req, httplib::Response& res) {
         bool bad = false;
         const auto flags = key_flags(req, bad);
         if (bad) return fail(res, 400, "read_only, ip_whitelist, spot and contract must be 0 or 1");
         auto key = sim.add_api_key(path_uid(req), flags, req.get_param_value("remark"));
         if (!key) return fail(res, 404, "unknown sub-account");
         reply(res, 200, {{"ok", true}, {"apiKey", *key}});
       });
  post(srv, R"(/admin/api-keys/([0-9A-Za-z]+)/flags)",
       [&sim, key_flags](const httplib::Request& req, httplib::Response& res) {
         bool bad = false;
         const auto flags = key_flags(req, bad);
         if (bad) return fail(res, 400, "read_only, ip_whitelist, spot and contract must be 0 or 1");
         if (!sim.set_api_key_flags(req.matches[1].str(), flags)) return fail(res, 404, "unknown api key");
         reply(res, 200, {{"ok", true}});
       });
  post(srv, R"(/admin/api-keys/([0-9A-Za-z]+)/delete)", [&sim](const httplib::Request& req, httplib::Response& res) {
    if (!sim.remove_api_key(req.matches[1].str())) return fail(res, 404, "unknown api key");
    reply(res, 200, {{"ok", true}});
  });
  post(srv, R"(/admin/sub-accounts/(\d+)/transferable)", [&sim](const httplib::Request& req, httplib::Response& res) {
    const std::string coin = req.get_param_value("coin");
    auto value = parse_amount(req.get_param_value("value"));
    if (coin.empty()) return fail(res, 400, "coin is required (e.g. USDT)");
    if (!value || *value < 0) return fail(res, 400, "value must be a decimal >= 0 with at most 8 decimals");
    if (!sim.set_transferable(path_uid(req), coin, *value)) return fail(res, 404, "unknown sub-account");
    reply(res, 200, {{"ok", true}});
  });

  post(srv, R"(/admin/invitees/(\d+)/balance)", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto quote = quote_param(req);
    auto value = parse_amount(req.get_param_value("value"));
    if (!quote) return fail(res, 400, "quote must be usdt or usdc");
    if (!value) return fail(res, 400, "value must be a decimal with at most 8 decimals");
    if (!sim.set_balance(*quote, path_uid(req), *value)) return fail(res, 404, "unknown invitee");
    reply(res, 200, {{"ok", true}});
  });
  post(srv, R"(/admin/invitees/(\d+)/deposit)", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto quote = quote_param(req);
    auto amount = parse_amount(req.get_param_value("amount"));
    const std::string type = req.has_param("type") ? req.get_param_value("type") : "deposit";
    if (!quote) return fail(res, 400, "quote must be usdt or usdc");
    if (!amount || *amount <= 0) return fail(res, 400, "amount must be a positive decimal with at most 8 decimals");
    if (type != "deposit" && type != "withdrawal") return fail(res, 400, "type must be deposit or withdrawal");
    auto time = sim.add_movement(*quote, path_uid(req), type == "deposit", *amount);
    if (!time) return fail(res, 404, "unknown invitee");
    reply(res, 200, {{"ok", true}, {"time", *time}});
  });
  post(srv, "/admin/invitees", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto quote = quote_param(req);
    auto count = parse_number<int>(req.get_param_value("count"));
    if (!quote) return fail(res, 400, "quote must be usdt or usdc");
    if (!count || *count < 1 || *count > 100000) return fail(res, 400, "count must be 1..100000");
    sim.add_invitees(*quote, *count);
    reply(res, 200, {{"ok", true}});
  });

  // The funnel: a sign-up now, and a trade today.
  post(srv, "/admin/signups", [&sim](const httplib::Request&, httplib::Response& res) {
    const int64_t uid = sim.add_signup();
    reply(res, 200, {{"ok", true}, {"uid", uid}, {"time", sim.now()}});
  });
  post(srv, R"(/admin/invitees/(\d+)/trade)", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto volume = parse_amount(req.get_param_value("volume"));
    if (!volume || *volume <= 0) return fail(res, 400, "volume must be a positive decimal with at most 8 decimals");
    auto day = sim.book_trade(path_uid(req), *volume);
    if (!day) return fail(res, 404, "unknown invitee");
    reply(res, 200, {{"ok", true}, {"day", format_coinw_date(*day)}});
  });

  // Each parameter present replaces that switch; the others stay.
  post(srv, "/admin/drift", [&sim](const httplib::Request& req, httplib::Response& res) {
    Drift d = sim.drift();
    for (auto [name, slot] :
         {std::pair{"total_skew", &d.total_skew}, std::pair{"insert_per_page", &d.insert_per_page},
          std::pair{"remove_per_page", &d.remove_per_page}, std::pair{"empty_answers", &d.empty_answers},
          std::pair{"formats_after", &d.formats_after}, std::pair{"list_max_range_days", &d.list_max_range_days},
          std::pair{"volume_max_range_days", &d.volume_max_range_days},
          std::pair{"empty_key_answers", &d.empty_key_answers}}) {
      if (!req.has_param(name)) continue;
      auto v = parse_number<int>(req.get_param_value(name));
      if (!v) return fail(res, 400, std::string(name) + " must be an integer");
      *slot = *v;
    }
    bool bad = false;
    for (auto [name, slot] :
         {std::pair{"total_as_string", &d.total_as_string}, std::pair{"bad_nick_names", &d.bad_nick_names},
          std::pair{"spot_success_false", &d.spot_success_false}, std::pair{"frozen_flag_two", &d.frozen_flag_two},
          std::pair{"spot_formats_changed", &d.spot_formats_changed}, std::pair{"numeric_code", &d.numeric_code},
          std::pair{"window_active_only", &d.window_active_only}, std::pair{"refuse_over_cap", &d.refuse_over_cap},
          std::pair{"volume_closed_days_only", &d.volume_closed_days_only},
          std::pair{"unknown_coin_refused", &d.unknown_coin_refused}})
      if (auto v = parse_flag(req, name, bad)) *slot = *v;
    if (bad) return fail(res, 400, "switches must be 0 or 1");
    if (d.insert_per_page < 0 || d.remove_per_page < 0 || d.empty_answers < 0 || d.formats_after < -1 ||
        d.list_max_range_days < 0 || d.volume_max_range_days < 0 || d.empty_key_answers < 0)
      return fail(res, 400, "counts must be >= 0 (formats_after: -1 for never)");
    sim.set_drift(d);
    reply(res, 200,
          {{"ok", true},
           {"total_skew", d.total_skew},
           {"total_as_string", d.total_as_string},
           {"insert_per_page", d.insert_per_page},
           {"remove_per_page", d.remove_per_page},
           {"empty_answers", d.empty_answers},
           {"formats_after", d.formats_after},
           {"list_max_range_days", d.list_max_range_days},
           {"volume_max_range_days", d.volume_max_range_days},
           {"bad_nick_names", d.bad_nick_names},
           {"spot_success_false", d.spot_success_false},
           {"frozen_flag_two", d.frozen_flag_two},
           {"empty_key_answers", d.empty_key_answers},
           {"spot_formats_changed", d.spot_formats_changed},
           {"numeric_code", d.numeric_code},
           {"window_active_only", d.window_active_only},
           {"refuse_over_cap", d.refuse_over_cap},
           {"volume_closed_days_only", d.volume_closed_days_only},
           {"unknown_coin_refused", d.unknown_coin_refused}});
  });

  post(srv, "/admin/sign-form", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto form = parse_sign_form(req.get_param_value("form"));
    if (!form) return fail(res, 400, "form must be raw or encoded");
    sim.set_sign_form(*form);
    reply(res, 200, {{"ok", true}, {"form", sign_form_name(*form)}});
  });

  post(srv, "/admin/permissions", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto denied = parse_denied(req.get_param_value("deny"));
    if (!denied)
      return fail(res, 400, "deny must list invitee_assets, sub_account_list, invitee_list or invitee_volume");
    sim.set_denied(*denied);
    reply(res, 200, {{"ok", true}, {"deny", *denied}});
  });

  post(srv, "/admin/clock", [&sim](const httplib::Request& req, httplib::Response& res) {
    auto skew = parse_number<int>(req.get_param_value("skew"));
    if (!skew || *skew < -kMaxClockSkewSeconds || *skew > kMaxClockSkewSeconds)
      return fail(res, 400,
                  "skew must be whole seconds from -" + std::to_string(kMaxClockSkewSeconds) + " to " +
                      std::to_string(kMaxClockSkewSeconds));
    sim.set_clock_skew(*skew);
    reply(res, 200, {{"ok", true}, {"skew", *skew}});
  });

  post(srv, "/admin/faults", [&sim](const httplib::Request& req, httplib::Response& res) {
    Faults f = sim.faults();
    if (req.has_param("rate")) {
      auto rate = parse_number<double>(req.get_param_value("rate"));
      if (!rate) return fail(res, 400, "rate must be a number");
      f.rate = *rate;
    }
    if (req.has_param("kinds")) {
      f.kinds.clear();
      std::stringstream ss(req.get_param_value("kinds"));
      for (std::string kind; std::getline(ss, kind, ',');)
        if (!kind.empty()) f.kinds.push_back(kind);
    }
    for (auto [name, slot] : {std::pair{"slow_ms", &f.slow_ms}, std::pair{"storm_length", &f.storm_length}}) {
      if (!req.has_param(name)) continue;
      auto v = parse_number<int>(req.get_param_value(name));
      if (!v) return fail(res, 400, std::string(name) + " must be an integer");
      *slot = *v;
    }
    if (req.has_param("rate") && f.rate == 0) f.kinds.clear();  // rate=0 clears the configuration
    try {
      sim.set_faults(f);
    } catch (const std::invalid_argument& e) {
      return fail(res, 400, e.what());
    }
    reply(
        res, 200,
        {{"ok", true}, {"rate", f.rate}, {"kinds", f.kinds}, {"slow_ms", f.slow_ms}, {"storm_length", f.storm_length}});
  });
}

}  // namespace coinw::sim
