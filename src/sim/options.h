#pragma once
// Settings of the CoinW simulator (see simulator.h); the CLI maps flags onto these.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/client.h"
#include "api/url.h"
#include "common/coinw_facts.h"

namespace coinw::sim {

// Requests per second in a strict sliding 1-second window; <= 0 disables a limit.
struct Limits {
  int invitee_per_s = facts::kInviteeAssetsPerSecond;  // per api key, invitee asset endpoint
  // Per api key, the three sub-account commands together: the stricter reading
  // of "3 per second per user" (docs/coinw-api.md §8).
  int sub_account_per_s = facts::kSubAccountListPerSecond;
  int spot_ip_per_s = facts::kSpotIpPerSecond;      // all spot endpoints, per client IP
  int spot_user_per_s = facts::kSpotUserPerSecond;  // all spot endpoints, per api key
};

struct Faults {
  double rate = 0;                 // probability per API request, 0..1
  std::vector<std::string> kinds;  // http500 html malformed truncated empty slow drop storm
  int slow_ms = 15000;             // `slow`: delay before the normal answer
  int storm_length = 20;           // `storm`: this many consecutive 29001 answers
};

// Departures from the documented API, for robustness tests; set at start or
// through POST /admin/drift.
struct Drift {
  int total_skew = 0;                    // data.total is the real count plus this (never below 0)
  bool total_as_string = false;          // data.total as a string of digits
  int insert_per_page = 0;               // invitees that join below every uid after each page served
  int remove_per_page = 0;               // invitees with the lowest uids that leave after each page served
  int empty_answers = 0;                 // the next N invitee answers: success with no rows and total 0
  int formats_after = -1;                // after N more invitee answers, times as epoch ms and empty amounts
  bool bad_nick_names = false;           // invalid UTF-8 and lone surrogates in some nickNames
  bool spot_success_false = false;       // sub-account answers keep code 200 but say success false
  bool frozen_flag_two = false;          // frozen sub-accounts say frozenFlag 2
  int empty_key_answers = 0;             // the next N API-key answers: success with no keys
  bool spot_formats_changed = false;     // key flags as "Y"/"N", transferable amounts as objects
  bool numeric_code = false;             // every envelope's code as a JSON number (0, 200, 6001...)
  bool window_active_only = false;       // windowed invitee answers list only invitees with movements in the window
  bool refuse_over_cap = false;          // a pageSize above the cap is refused (9016) instead of capped
  int list_max_range_days = 0;           // funnel: /user/list refuses longer ranges with 9016 (0: any range)
  int volume_max_range_days = 0;         // funnel: the volume list refuses more days with 9016 (0: any number)
  bool volume_closed_days_only = false;  // funnel: the volume list leaves out today's open day
  bool unknown_coin_refused = false;     // transferAvailable refuses a coin no sub-account holds (else 0)
};

// "raw" or "encoded", as --sign-form and /admin/sign-form take it.
inline std::optional<api::QueryForm> parse_sign_form(std::string_view text) {
  if (text == "raw") return api::QueryForm::raw;
  if (text == "encoded") return api::QueryForm::encoded;
  return std::nullopt;
}
inline const char* sign_form_name(api::QueryForm form) { return form == api::QueryForm::raw ? "raw" : "encoded"; }

// Bounds of Options::clock_skew_s: a year either way.
inline constexpr int kMaxClockSkewSeconds = 366 * 24 * 3600;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;                   // 0: ephemeral, read back with Simulator::port()
  std::string tls_cert, tls_key;  // both set: HTTPS
  std::string api_key = "demo-key", secret_key = "demo-secret";
  uint64_t seed = 42;
  int invitees = 250;  // per quote
  int sub_accounts = 12;
  int page_size_cap = 100;
  int default_page_size = 20;
  int timestamp_window_ms = 30000;  // futures `timestamp` header must be this close to now
  Limits limits;
  int delay_max_ms = 0;  // uniform 0..max network delay before a request "arrives"
  Faults faults;
  bool quirks = false;  // vary representations the docs leave open
  Drift drift;
  std::string time_zone_offset = "+00:00";  // zone of the emitted and parsed time strings
  // Which reading of the futures signing rule to check (docs/coinw-api.md §1): the
  // decoded values, or the query exactly as the request target carries it.
  api::QueryForm sign_form = api::QueryForm::raw;
  // The simulator's "now" at start, epoch seconds (0: the real time): recent
  // movements fall on its day and month, and admin deposits at it plus the time since.
  int64_t now = 0;
  // How far the server's clock is ahead of the real one (negative: behind): its
  // Date header and the futures timestamp check follow it, the dataset does not.
  int clock_skew_s = 0;
  // Endpoints, by their api::to_string names, the key lacks the permission
  // for: answered 6003 once the signature checks out.
  std::vector<std::string> denied;
};

// "invitee_assets,sub_account_list" (any endpoint's api::to_string name) as
// --deny and /admin/permissions take it (empty: none); nullopt on an unknown name.
inline std::optional<std::vector<std::string>> parse_denied(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto name = text.substr(0, comma);
    if (std::none_of(api::kEndpoints.begin(), api::kEndpoints.end(), [&](const auto& e) { return e.name == name; }))
      return std::nullopt;
    out.emplace_back(name);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

}  // namespace coinw::sim
