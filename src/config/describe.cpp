#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/coinw_facts.h"
#include "common/timefmt.h"
#include "config/config.h"

namespace coinw::config {

std::string_view to_string(NickNamePolicy p) {
  switch (p) {
    case NickNamePolicy::masked: return "masked";
    case NickNamePolicy::full: return "full";
    case NickNamePolicy::none: return "none";
  }
  return "masked";
}

namespace {

std::string series(const InviteeAssetsConfig& ia) {
  switch (ia.per_invitee_series) {
    case PerInviteeSeries::all: return "all";
    case PerInviteeSeries::none: return "none";
    case PerInviteeSeries::top: break;
  }
  return "top " + std::to_string(ia.top_k) + " by " +
         (ia.top_by == TopBy::current_balance ? "current_balance" : "total_deposit");
}

// The API keys and funds of the sub-accounts, with what a full funds pass
// costs: one request per sub-account and coin under the sub-account limiter
// the list and the keys share.
std::string sub_account_extras(const SubAccountsConfig& s, int per_second) {
  std::string out = s.api_keys.enabled ? "; api_keys every " + format_duration(s.api_keys.min_refresh_interval)
                                       : std::string("; api_keys off");
  if (s.funds.coins.empty()) return out + "; funds off";
  std::string coins;
  for (const auto& c : s.funds.coins) coins += (coins.empty() ? "" : ",") + c;
  const auto n = static_cast<int64_t>(s.funds.coins.size());
  out += "; funds " + coins + " every " + format_duration(s.funds.min_refresh_interval) + " (cost " +
         std::to_string(n) + " request(s) per sub-account a pass";
  if (per_second > 0)
    out += ": at " + std::to_string(per_second) + "/s, at least " +
           std::to_string((100 * n + per_second - 1) / per_second) + "s for 100 sub-accounts";
  return out + ")";
}

double per_hour(milliseconds interval) { return 3600.0 / std::chrono::duration<double>(interval).count(); }

// Passes may run back to back at the endpoint's whole rate (they continue
// between scrapes), so the scrape cadence is not part of the cost. Fixed
// windows count as open: one still running is refreshed at its interval. The
// funnel shares the limiter: the open day's volume costs a page per page_size
// invitees who traded (counted as if all did), and a sign-up walk after the
// first about one request, whatever the number of invitees.
std::string invitee_cost(const AccountConfig& a) {
  const auto& ia = a.invitee_assets;
  const double quotes = static_cast<double>(ia.quotes.size());
  double open = 0;
  for (const auto& w : ia.windows)
    if (w.kind != WindowKind::yesterday && w.kind != WindowKind::previous_month) ++open;
  double per_invitee = quotes * (per_hour(ia.min_refresh_interval) + open * per_hour(ia.window_refresh_interval)) /
                       static_cast<double>(ia.page_size);
  const auto& tv = a.invitee_trade_volume;
  if (tv.enabled) per_invitee += per_hour(tv.open_day_refresh_interval) / static_cast<double>(tv.page_size);
  const double rate = facts::kInviteeAssetsPerSecond * 3600.0;
  const double watch = static_cast<double>(ia.watch.uids.size()) * quotes * per_hour(ia.watch.min_refresh_interval);
  const double signups = a.invitee_registrations.enabled ? per_hour(a.invitee_registrations.min_refresh_interval) : 0;
  const auto fit = static_cast<int64_t>(std::max(0.0, rate - watch - signups) / per_invitee);
  std::string fixed;
  if (watch > 0) fixed += " + " + std::to_string(std::llround(watch)) + "/h for the watch list";
  if (signups > 0) fixed += " + " + std::to_string(std::llround(signups)) + "/h for the sign-ups";
  return "; cost " + std::to_string(std::llround(per_invitee * 1000)) + " requests/h per 1,000 invitees" +
         (tv.enabled ? " (the open day's volume included)" : "") + fixed + ", so " +
         std::to_string(static_cast<int64_t>(rate)) + "/h (" + std::to_string(facts::kInviteeAssetsPerSecond) +
         "/s) refreshes up to about " + std::to_string(fit) + " invitees at these intervals";
}

}  // namespace

// Names what each account will collect and where from; credentials stay out.
std::string describe(const Config& c) {
  std::string out = std::to_string(c.accounts.size()) + (c.accounts.size() == 1 ? " account" : " accounts") +
                    "; nick_name " + std::string(to_string(c.global.nick_name)) + "; staleness_limit " +
                    format_duration(c.global.staleness_limit) +
                    (c.global.state_dir.empty() ? "" : "; state_dir " + c.global.state_dir) + "\n";
  for (const auto& a : c.accounts) {
    out += "account " + a.name + ": " + a.base_url.text();
    if (!a.user.empty()) out += " (user " + a.user + ")";
    if (!a.ca_file.empty()) out += " (CA " + a.ca_file + ")";
    out += a.proxy.enabled() ? " via proxy " + a.proxy.masked() + " (" + a.proxy_from + ")"
                             : " direct (" + a.proxy_from + ")";
    const auto& ia = a.invitee_assets;
    if (ia.enabled) {
      std::string quotes;
      for (const auto& q : ia.quotes) quotes += (quotes.empty() ? "" : ",") + q;
      out += "; invitee_assets every " + format_duration(ia.min_refresh_interval) + " (quotes " + quotes +
             ", page_size " + std::to_string(ia.page_size) + ", per-invitee series " + series(ia) + ")";
      if (!ia.windows.empty()) {
        std::string names;
        for (const auto& w : ia.windows) names += (names.empty() ? "" : ",") + w.name;
        out += "; windows " + names + " (open ones every " + format_duration(ia.window_refresh_interval) +
               ", closed ones once, " + format_duration(ia.closed_window_grace) + " after their end)";
      }
      if (!ia.watch.uids.empty())
        out += "; watching " + std::to_string(ia.watch.uids.size()) + " uid(s) every " +
               format_duration(ia.watch.min_refresh_interval);
      out += invitee_cost(a);
    } else {
      out += "; invitee_assets off";
    }
    out += a.sub_accounts.enabled ? "; sub_accounts every " + format_duration(a.sub_accounts.min_refresh_interval)
                                  : std::string("; sub_accounts off");
    if (a.invitee_registrations.enabled)
      out += "; invitee_registrations since " + format_coinw_date(a.invitee_registrations.since_day) + " every " +
             format_duration(a.invitee_registrations.min_refresh_interval);
    if (a.invitee_trade_volume.enabled)
      out += "; invitee_trade_volume (open days every " +
             format_duration(a.invitee_trade_volume.open_day_refresh_interval) + ", closed ones once, " +
             format_duration(a.invitee_trade_volume.closed_day_grace) + " after their end)";
    if (a.sub_accounts.enabled)
      out += sub_account_extras(a.sub_accounts, c.global.rate_limits.sub_account_list_per_second);
    out += "\n";
  }
  return out;
}

}  // namespace coinw::config
