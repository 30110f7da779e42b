#include "check/decide.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "check/shape.h"
#include "common/coinw_facts.h"

namespace coinw::check {
namespace {

using api::FailureReason;

// Our transport's own words (never CoinW's, never credentials).
std::string transport_text(const api::ApiError& e) {
  return std::string(api::to_string(e.reason)) + ": " + e.message.substr(0, 160);
}

std::string transport_setting(FailureReason r) {
  switch (r) {
    case FailureReason::tls:
      return "ca_file (or global.http.ca_file) must name the CA that signed the server's certificate (your "
             "TLS-inspecting proxy's, if there is one); base_url must be https://api.coinw.com.";
    case FailureReason::proxy:
      return "check proxy_url (or global.http.proxy_url, HTTPS_PROXY and no_proxy): the proxy refused or "
             "could not be reached.";
    default:
      return "check that this host reaches base_url (DNS, firewall, proxy_url); raise "
             "global.http.connect_timeout or read_timeout only if the link is slow.";
  }
}

}  // namespace

const char* const kPaused =
    "after a rate-limit answer the exporter leaves the endpoint alone for "
    "global.rate_limits.pause_after_rate_limit (30 s).";

std::string refusal_text(const api::ApiError& e) {
  std::string out = e.code.empty() ? "HTTP " + std::to_string(e.http_status) : "code " + e.code;
  return out + " (" + std::string(api::to_string(e.reason)) + ")";
}

bool transport_failure(FailureReason r) {
  return r == FailureReason::timeout || r == FailureReason::network || r == FailureReason::tls ||
         r == FailureReason::proxy;
}

std::string duration_text(int64_t s) {
  s = std::llabs(s);
  char buf[64];
  if (s < 120)
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(s));
  else
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  return buf;
}

std::string offset_text(int offset_s) {
  char buf[16];
  const int a = std::abs(offset_s);
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
  return buf;
}

Finding decide_access(const Need& need, const std::optional<api::ApiError>& error) {
  Finding f{need.probe, Verdict::ok, "", "", ""};
  if (!error) {
    f.seen = "CoinW answered " + need.endpoint + " with data: the key may use it.";
    return f;
  }
  const auto& e = *error;
  f.verdict = Verdict::fail;
  if (transport_failure(e.reason)) {
    f.seen = "no answer from " + need.endpoint + ": " + transport_text(e) + ".";
    f.exporter = "the collector fails on every refresh, counted by reason in coinw_api_failures_total.";
    f.setting = transport_setting(e.reason);
    return f;
  }
  f.seen = "CoinW refused " + need.endpoint + " with " + refusal_text(e) + ".";
  switch (e.reason) {
    case FailureReason::permission:
      f.exporter = "the collector fails on every refresh (coinw_collector_success 0, reason=\"permission\").";
      f.setting = need.grant + ", or set " + need.disable + ".";
      break;
    case FailureReason::auth:
      f.exporter = "the collector fails on every refresh (reason=\"auth\").";
      f.setting =
          "check this account's api_key and secret_key (or their *_file): CoinW does not accept the pair; "
          "see the clock finding too.";
      break;
    case FailureReason::rate_limited:
      f.verdict = Verdict::open;
      f.seen += " Something else is using this key or address right now; this endpoint's other probes were skipped.";
      f.exporter = kPaused;
      f.setting = "run the check again in a minute, with other clients of this key stopped.";
      break;
    case FailureReason::malformed_response:
    case FailureReason::unexpected_format:
      f.seen = "CoinW answered " + need.endpoint + " in a form the exporter cannot read (" +
               std::string(api::to_string(e.reason)) + ").";
      f.exporter = "the collector fails on every refresh, counted in coinw_api_failures_total.";
      f.setting = "none can help: CoinW may have changed this endpoint; report this output.";
      break;
    default:
      f.exporter = "the collector fails on every refresh, counted in coinw_api_failures_total.";
      f.setting =
          "base_url should be https://api.coinw.com; if it is, CoinW may have changed this endpoint: "
          "report this output.";
  }
  return f;
}

Finding decide_code_kinds(const std::map<std::string, std::set<std::string>>& kinds) {
  Finding f{"code_type", Verdict::ok, "", "", ""};
  bool documented = true;
  for (const auto& [endpoint, seen] : kinds) {
    std::string list;
    for (const auto& k : seen) list += (list.empty() ? "" : " and ") + k;
    f.seen += (f.seen.empty() ? "" : "; ") + endpoint + ": `code` as " + list;
    documented = documented && seen.size() == 1 && *seen.begin() == "string";
  }
  if (kinds.empty()) {
    f.verdict = Verdict::open;
    f.seen = "no answer carried a `code`";
    return f;
  }
  f.seen += documented ? " (as documented)." : " (the docs show a string).";
  if (!documented) f.verdict = Verdict::note;
  f.exporter = "reads `code` as a string or a number alike.";
  return f;
}

Finding decide_amounts(const std::map<std::string, size_t>& kinds, const AmountSubject& subject) {
  Finding f{subject.probe, Verdict::ok, "", "", ""};
  if (kinds.empty()) {
    f.verdict = Verdict::open;
    f.seen = "no rows to look at.";
    return f;
  }
  f.seen = subject.fields + ": " + kinds_text(kinds) + ".";
  const bool only_strings = kinds.size() == 1 && kinds.begin()->first == "string";
  const bool unreadable = !only_kinds(kinds, {"string", "number", "null", "absent"});
  if (!only_strings) f.verdict = unreadable ? Verdict::fail : Verdict::note;
  f.exporter = unreadable ? subject.unreadable : "reads decimal strings and JSON numbers; " + subject.missing;
  if (unreadable) f.setting = "none can help: report this output.";
  return f;
}

Finding decide_times(const TimesSeen& t, const TimeSubject& subject) {
  Finding f{subject.probe, Verdict::ok, "", "", ""};
  if (t.patterns.empty()) {
    f.verdict = Verdict::open;
    f.seen = "no rows to look at.";
    return f;
  }
  const std::string zone = "global.time_zone (" + offset_text(t.offset_s) + ")";
  f.seen = "time fields: " + kinds_text(t.patterns) + ".";
  size_t readable = 0;
  for (const auto& [pattern, n] : t.patterns)
    if (pattern == "\"9999-99-99 99:99:99\"" || pattern == "null" || pattern == "absent" || pattern == "empty string")
      readable += n;
  size_t total = 0;
  for (const auto& [pattern, n] : t.patterns) total += n;
  if (readable < total) {
    f.verdict = Verdict::fail;
    f.exporter =
        "cannot read times in another format: they are counted as invalid fields, and pages with more "
        "than 10% such rows are refused.";
    f.setting = "none can help: report this output.";
    return f;
  }
  if (t.instants.empty()) {
    f.verdict = Verdict::open;
    f.seen += " No time to compare with the clock.";
    return f;
  }
  const int64_t newest = *std::max_element(t.instants.begin(), t.instants.end());
  const int64_t ahead = newest - t.coinw_now;
  // Beyond the Date header's second and a little bookkeeping.
  if (ahead > 120) {
    const int64_t hours = (ahead + 3599) / 3600;
    const int suggested = std::min<int64_t>(t.offset_s + hours * 3600, facts::kMaxUtcOffsetSeconds);
    f.verdict = Verdict::change;
    f.seen += " Read in " + zone + ", the newest is " + duration_text(ahead) +
              " in the future: CoinW writes its times in a zone east of the configured one.";
    f.exporter = "reads times " + duration_text(ahead) + " too late or more: " + subject.effect + ".";
    f.setting = "move global.time_zone east by at least " + duration_text(ahead) + ", to " + offset_text(suggested) +
                " or further; run the check again just after " + subject.fresh + " narrows it down.";
    return f;
  }
  const int64_t age = -ahead;
  f.seen += " Read in " + zone + ", none is in the future (the newest is " + duration_text(age) +
            " old), so CoinW's zone is not east of it";
  if (age < 3600) {
    f.seen += ", nor west of it by an hour or more.";
    f.exporter = "reads times in " + zone + ", which matches.";
    return f;
  }
  f.verdict = Verdict::open;
  f.seen += "; a zone up to " + duration_text(age) + " west cannot be told from an old time.";
  f.exporter = "reads times in " + zone + ".";
  f.setting = "run the check again just after " + subject.fresh + " tells the zone.";
  return f;
}

Finding decide_skew(const std::vector<double>& skews) {
  Finding f{"clock", Verdict::ok, "", "", ""};
  if (skews.empty()) {
    f.verdict = Verdict::open;
    f.seen = "no answer carried a readable Date header: the clock skew is unknown.";
    f.exporter = "leaves coinw_api_clock_skew_seconds absent.";
    return f;
  }
  const double median = median_skew(skews);
  char buf[96];
  std::snprintf(buf, sizeof buf,
                "CoinW's Date header is %+.1f s from this host's clock (median of %zu answers, "
                "good to about 1 s).",
                median, skews.size());
  f.seen = buf;
  f.exporter =
      "exports it as coinw_api_clock_skew_seconds; CoinW's tolerance for the request timestamp is not "
      "documented.";
  if (std::abs(median) > 2) {
    f.verdict = Verdict::change;
    f.setting = "synchronise this host's clock (NTP): a skew breaks invitee_assets requests first.";
  }
  return f;
}

double median_skew(std::vector<double> skews) {
  if (skews.empty()) return 0;
  std::nth_element(skews.begin(), skews.begin() + skews.size() / 2, skews.end());
  return skews[skews.size() / 2];
}

Finding decide_connection(const Path& path, size_t answers, const std::optional<api::ApiError>& first_error) {
  Finding f{"connection", Verdict::ok, "", "", ""};
  const std::string route = path.base_url + (path.tls ? " over TLS, " : " without TLS (plain HTTP), ") +
                            (path.proxy == "direct" ? "direct" : "via proxy " + path.proxy) + " (" + path.proxy_from +
                            ")";
  if (answers > 0) {
    f.seen = "reached " + route + ": " + std::to_string(answers) + " answer(s).";
    if (!path.tls) {
      f.verdict = Verdict::note;
      f.exporter = "sends keys and signatures unencrypted on this path.";
      f.setting = "base_url should be https://api.coinw.com outside tests.";
    }
    return f;
  }
  f.verdict = Verdict::fail;
  f.seen = "could not reach " + route + (first_error ? ": " + transport_text(*first_error) + "." : ".");
  f.exporter = "every collector fails.";
  f.setting = first_error ? transport_setting(first_error->reason) : "";
  return f;
}

std::vector<Finding> open_questions(bool invitee_assets, bool sub_accounts, bool funnel) {
  std::vector<Finding> out;
  const std::string never = " Only a 29001 answer could tell, and the check never provokes one.";
  if (invitee_assets)
    out.push_back({"invitee_assets.rate_limit", Verdict::open,
                   "whether the documented 5 per second counts per IP, per user or both, and CoinW's undocumented "
                   "global limit." +
                       never,
                   "keeps to 5 per second per user (global.rate_limits.invitee_assets_per_second).",
                   "lower global.rate_limits.invitee_assets_per_second, or set futures_ip_per_second, if "
                   "coinw_api_failures_total{reason=\"rate_limited\"} grows."});
  if (invitee_assets)
    out.push_back({"invitee_assets.timestamp_window", Verdict::open,
                   "how far the request timestamp may stray from CoinW's clock. Only a refused request could tell, "
                   "and the check sends none with a stale timestamp.",
                   "alerts (CoinwClockSkew) above 2 s of measured skew.", ""});
  if (funnel)
    out.push_back({"funnel.rate_limit", Verdict::open,
                   "whether the sign-up and volume endpoints have a rate limit of their own (their pages state "
                   "none)." +
                       never,
                   "counts them against the invitee-assets endpoint's 5 per second, one limiter for the three.", ""});
  if (sub_accounts)
    out.push_back({"sub_accounts.rate_limit", Verdict::open,
                   "whether the 3 per second of the sub-account endpoints counts per endpoint or across them, and "
                   "per user or per key." +
                       never,
                   "keeps to 3 per second per user for all sub-account endpoints together "
                   "(global.rate_limits.sub_account_list_per_second).",
                   ""});
  return out;
}

}  // namespace coinw::check
