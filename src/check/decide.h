#pragma once
// The check's decisions: from what CoinW answered to findings. Pure, so each
// answer CoinW might give is tested without a server (tests/unit/check_decide_test.cpp).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/errors.h"
#include "check/finding.h"

namespace coinw::check {

// A failure of the path to CoinW (timeout, network, TLS, proxy), not CoinW's answer.
bool transport_failure(api::FailureReason r);
// CoinW's code, or the HTTP status when the body had none; never its message,
// which may echo an address or an account.
std::string refusal_text(const api::ApiError& e);
// What the exporter does after a rate-limit answer, for findings.
extern const char* const kPaused;

// What a collector needs of the key, in words for its findings.
struct Need {
  std::string probe;     // "invitee_assets.access"
  std::string endpoint;  // what it calls, as a user reads it
  std::string grant;     // how to give the key what it lacks
  std::string disable;   // the setting that turns the collector off: "invitee_assets.enabled: false"
};

// The first request of a collector: may the key use its endpoint at all?
Finding decide_access(const Need& need, const std::optional<api::ApiError>& error);

// One page asked with the largest documented size; when CoinW refused that, the
// configured size asked once more.
struct PageProbe {
  std::optional<api::ApiError> large_error;
  size_t large_rows = 0;
  std::optional<int64_t> total;
  std::optional<api::ApiError> configured_error;  // only when the configured size was asked
  bool configured_asked = false;
};
Finding decide_page_size(int configured, const PageProbe& p);

// How the client's windowed request went (it retries a 6001 once, signed over
// the encoded query).
struct SignProbe {
  std::optional<api::ApiError> error;  // of the final answer
  bool fallback = false;               // the encoded form was accepted after the raw one was refused
  size_t sent = 0;                     // requests it took
};
Finding decide_signature(const SignProbe& p, bool windows_configured);

// data.total without a window and with a window of one minute.
Finding decide_window_rows(std::optional<int64_t> total_all, std::optional<int64_t> total_window,
                           bool windows_configured);

// Kind of `code` per endpoint name ("string", "number"...).
Finding decide_code_kinds(const std::map<std::string, std::set<std::string>>& kinds);

// Whose amounts decide_amounts judges, in words for its finding.
struct AmountSubject {
  std::string probe;       // "invitee_assets.amounts"
  std::string fields;      // "amount fields"
  std::string missing;     // what a null or absent value does
  std::string unreadable;  // what a value of another kind does
};
Finding decide_amounts(const std::map<std::string, size_t>& kinds, const AmountSubject& subject);

// Time patterns and the instants read in the configured zone, against CoinW's
// clock (ours corrected by the measured skew).
struct TimesSeen {
  std::map<std::string, size_t> patterns;
  std::vector<int64_t> instants;
  int64_t coinw_now = 0;
  int offset_s = 0;  // global.time_zone
};
// Whose times decide_times judges, in words for its finding.
struct TimeSubject {
  std::string probe;   // "invitee_assets.times"
  std::string fresh;   // when a fresh time appears: "an invitee deposits: a fresh updateTime"
  std::string effect;  // what reading them too late does
};
Finding decide_times(const TimesSeen& t, const TimeSubject& subject);

// The sign-up list asked over the collector's whole first range
// (invitee_registrations.since to now), and, when CoinW refused that as a bad
// request, over one month.
struct RangeProbe {
  int64_t days = 0;  // of the whole range
  std::optional<api::ApiError> whole_error;
  bool month_asked = false;
  std::optional<api::ApiError> month_error;
};
// Nothing when the whole range was refused for another reason than its length.
std::optional<Finding> decide_list_range(const RangeProbe& p);

// The days (in global.time_zone) of the volume rows answered for yesterday and today.
Finding decide_open_day(const std::vector<int32_t>& days, int32_t today);

// The sub-accounts' API keys (decide_sub_accounts.cpp): the four 0/1 flags'
// JSON kinds, strings as their patterns (`"9"`), and apiWhiteList's kinds, over
// the keys answered.
Finding decide_key_fields(const std::map<std::string, size_t>& flags, const std::map<std::string, size_t>& whitelist);

// One listed sub-account's transferable amount of the first configured coin;
// a bad request there points at the coin.
Finding decide_funds_access(const std::string& coin, const std::optional<api::ApiError>& error);
// The same sub-account asked for a coin that exists nowhere: refused, or
// answered with an amount (0, most likely), which a misspelt coin would get too.
Finding decide_unknown_coin(const std::optional<api::ApiError>& error, std::optional<double> amount);

// CoinW's clock less ours, from each answer's Date header.
Finding decide_skew(const std::vector<double>& skews);
// Their median (0 when there are none): one late answer must not move it.
double median_skew(std::vector<double> skews);

struct Path {
  std::string base_url;  // as configured, no credentials
  bool tls = false;
  std::string proxy;  // "direct" or the masked proxy URL
  std::string proxy_from;
};
// `first_error`: the transport failure of the first request, when it had one.
Finding decide_connection(const Path& path, size_t answers, const std::optional<api::ApiError>& first_error);

// What only a refusal could answer; the check provokes none.
std::vector<Finding> open_questions(bool invitee_assets, bool sub_accounts, bool funnel);

// "8 h 05 min", "42 s": a duration for a finding.
std::string duration_text(int64_t seconds);
// "+08:00"
std::string offset_text(int offset_s);

}  // namespace coinw::check
