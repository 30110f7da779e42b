#include "sim/cli.h"

#include <charconv>
#include <climits>
#include <sstream>
#include <stdexcept>

namespace coinw::sim {
namespace {

constexpr int kDefaultPort = 8790;

void set_listen(Options& o, const std::string& v) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) throw std::invalid_argument("expected HOST:PORT, got '" + v + "'");
  o.host = v.substr(0, colon);
  o.port = parse_int_flag(v.substr(colon + 1), 0, 65535);
}

void set_seed(Options& o, const std::string& v) {
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), o.seed);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    throw std::invalid_argument("must be an unsigned 64-bit integer, got '" + v + "'");
}

void set_now(Options& o, const std::string& v) {
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), o.now);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || o.now < 0)
    throw std::invalid_argument("must be unix seconds (0: the real time), got '" + v + "'");
}

void set_sign_form(Options& o, const std::string& v) {
  auto form = parse_sign_form(v);
  if (!form) throw std::invalid_argument("must be raw or encoded, got '" + v + "'");
  o.sign_form = *form;
}

void set_denied(Options& o, const std::string& v) {
  auto denied = parse_denied(v);
  if (!denied)
    throw std::invalid_argument(
        "must list endpoints: invitee_assets, sub_account_list, invitee_list, invitee_volume; got '" + v + "'");
  o.denied = std::move(*denied);
}

void set_fault_rate(Options& o, const std::string& v) {
  double rate = -1;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), rate);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !(rate >= 0 && rate <= 1))
    throw std::invalid_argument("must be a number from 0 to 1, got '" + v + "'");
  o.faults.rate = rate;
}

void set_fault_kinds(Options& o, const std::string& v) {
  o.faults.kinds.clear();
  std::stringstream ss(v);
  for (std::string k; std::getline(ss, k, ',');)
    if (!k.empty()) o.faults.kinds.push_back(k);
}

FlagSet flags(Cli& c) {
  Options& o = c.options;
  FlagSet f;
  f.value(
      "listen", "HOST:PORT", "address to listen on; port 0 = any", [&o](auto& v) { set_listen(o, v); },
      o.host + ":" + std::to_string(o.port));
  f.text("tls-cert", o.tls_cert, "FILE", "PEM certificate; with --tls-key serves HTTPS");
  f.text("tls-key", o.tls_key, "FILE", "PEM private key");
  f.text("api-key", o.api_key, "KEY", "accepted API key");
  f.text("secret-key", o.secret_key, "SECRET", "secret for both signing schemes");
  f.text("secret-key-file", c.secret_key_file, "FILE", "read the secret from a file (trailing newline stripped)");
  f.value(
      "seed", "N", "dataset seed", [&o](auto& v) { set_seed(o, v); }, std::to_string(o.seed));
  f.integer("invitees", o.invitees, 0, INT_MAX, "invitees per quote");
  f.integer("sub-accounts", o.sub_accounts, 0, INT_MAX, "sub-accounts");
  f.integer("page-size-cap", o.page_size_cap, 1, INT_MAX, "largest pageSize honoured");
  f.integer("default-page-size", o.default_page_size, 1, INT_MAX, "pageSize when omitted");
  f.integer("timestamp-window-ms", o.timestamp_window_ms, 0, INT_MAX, "allowed skew of the futures timestamp");
  f.integer("invitee-limit", o.limits.invitee_per_s, 0, INT_MAX, "invitee endpoint requests/s per api key; 0 = off");
  f.integer("sub-account-limit", o.limits.sub_account_per_s, 0, INT_MAX,
            "sub-account list requests/s per api key; 0 = off");
  f.integer("spot-ip-limit", o.limits.spot_ip_per_s, 0, INT_MAX, "spot requests/s per client IP; 0 = off");
  f.integer("spot-user-limit", o.limits.spot_user_per_s, 0, INT_MAX, "spot requests/s per api key; 0 = off");
  f.integer("delay-max-ms", o.delay_max_ms, 0, INT_MAX, "random network delay 0..N ms before a request arrives");
  f.value(
      "fault-rate", "R", "probability 0..1 that an API request gets a fault", [&o](auto& v) { set_fault_rate(o, v); },
      "0");
  f.value("fault-kinds", "K,K", "http500,html,malformed,truncated,empty,slow,drop,storm",
          [&o](auto& v) { set_fault_kinds(o, v); });
  f.integer("slow-ms", o.faults.slow_ms, 0, INT_MAX, "delay of the `slow` fault");
  f.integer("storm-length", o.faults.storm_length, 0, INT_MAX, "29001 answers per `storm`");
  f.boolean("quirks", o.quirks, "vary representations the docs leave open");
  f.text("time-zone-offset", o.time_zone_offset, "+HH:MM", "zone of the time strings, emitted and parsed");
  f.value(
      "now", "UNIX_SECONDS", "the simulator's time at start; recent movements fall on its day and month; 0 = real time",
      [&o](auto& v) { set_now(o, v); }, "0");
  f.integer("clock-skew", o.clock_skew_s, -kMaxClockSkewSeconds, kMaxClockSkewSeconds,
            "seconds the server's clock is ahead (negative: behind): its Date header and timestamp check");
  f.value(
      "sign-form", "raw|encoded",
      "futures signature checked over the decoded query values, or over the query as the URL carries it",
      [&o](auto& v) { set_sign_form(o, v); }, "raw");
  f.value("deny", "E,E",
          "endpoints the key lacks the permission for (invitee_assets, sub_account_list, invitee_list, "
          "invitee_volume, sub_account_apikey, sub_account_transfer_available): code 6003",
          [&o](auto& v) { set_denied(o, v); });
  return f;
}

Cli defaults() {
  Cli c;
  c.options.port = kDefaultPort;
  return c;
}

}  // namespace

Cli parse_cli(const std::vector<std::string>& args) {
  Cli c = defaults();
  c.help = !flags(c).parse(args);
  return c;
}

std::string usage() {
  Cli c = defaults();
  return "Usage: coinw-sim [flags]\nSimulates the CoinW API on loopback for the demo and tests.\n\nFlags:\n" +
         flags(c).help();
}

}  // namespace coinw::sim
