#include "check/probes.h"

#include <algorithm>
#include <numeric>
#include <span>

#include "check/decide.h"
#include "check/shape.h"
#include "common/timefmt.h"
#include "common/wall_time.h"

namespace coinw::check {
namespace {

constexpr std::array<std::string_view, 4> kAmountFields = {"totalDeposit", "totalWithdrawal", "currentBalance",
                                                           "firstDepositAmount"};
constexpr std::array<std::string_view, 2> kTimeFields = {"updateTime", "firstDepositTime"};
constexpr std::array<std::string_view, 1> kRegisterTime = {"registerTime"};
constexpr std::array<std::string_view, 1> kVolume = {"volume"};
constexpr std::array<std::string_view, 4> kKeyFlags = {"readonlyFlag", "apiWhiteListFlag", "spotTradeFlag",
                                                       "contractTradeFlag"};
constexpr std::array<std::string_view, 1> kWhiteList = {"apiWhiteList"};
// In the form of CoinW's coin codes, and listed by no exchange.
constexpr const char* kNoSuchCoin = "NOSUCHCOIN0";
constexpr int64_t kDay = 86400;
// As the registrations collector: a range reaches a day past now, whatever
// CoinW's zone (its first walk's range is the one asked).
constexpr int64_t kRangeSlack = kDay;
// One month, the range CoinW answers by default and the collector's fallback.
constexpr int64_t kMonth = 31 * kDay;
// Enough rows to see the newest sign-ups and several volume values.
constexpr int kFunnelPageSize = 100;
// A window this short holds almost no movements: if the answer still lists
// every invitee, windowed answers list them all.
constexpr int64_t kNarrowWindowSeconds = 60;

template <class T>
std::optional<api::ApiError> error_of(const api::Result<T>& r) {
  return r ? std::nullopt : std::optional(r.error());
}

// An answer the parser refused as changed: its raw body still shows what changed.
bool format_change(const api::ApiError& e) { return e.reason == api::FailureReason::unexpected_format; }

api::InviteeQuery page_query(const Session& s, int page_size) {
  api::InviteeQuery q;
  q.quote = s.quote();
  q.page_size = page_size;
  return q;
}

void invitee_access(Session& s) {
  auto r = s.client.invitee_assets(page_query(s, 1), s.deadline());
  s.saw(error_of(r));
  s.add(decide_access(
      {"invitee_assets.access", "the affiliate invitee-assets endpoint",
       "give the key the Affiliate permission on CoinW (a master account's key)", "invitee_assets.enabled: false"},
      error_of(r)));
  if (r) s.invitee_page = std::move(r.value());
}

void invitee_page_size(Session& s) {
  if (!s.invitee_page) return;
  const int configured = s.account.invitee_assets.page_size;
  PageProbe p;
  auto large = s.client.invitee_assets(page_query(s, facts::kLargestDocumentedPageSize), s.deadline());
  s.saw(error_of(large));
  if (large) {
    p.large_rows = large.value().rows.size() + large.value().invalid_rows;
    p.total = large.value().total;
  } else {
    p.large_error = large.error();
    if (large.error().reason == api::FailureReason::bad_request) {
      p.configured_asked = true;
      auto again = s.client.invitee_assets(page_query(s, configured), s.deadline());
      s.saw(error_of(again));
      p.configured_error = error_of(again);
    }
  }
  s.add(decide_page_size(configured, p));
}

void invitee_window(Session& s) {
  if (!s.invitee_page) return;
  const int offset = s.global.time_zone_offset_seconds;
  const int64_t now = static_cast<int64_t>(unix_seconds(s.clock.wall_now()));
  api::InviteeQuery q = page_query(s, 1);
  q.start_time = format_coinw_time(now - kNarrowWindowSeconds, offset);
  q.end_time = format_coinw_time(now, offset);
  const size_t before = s.recorder.sent();
  auto r = s.client.invitee_assets(q, s.deadline());
  s.saw(error_of(r));
  const bool windows = !s.account.invitee_assets.windows.empty();
  s.add(decide_signature({error_of(r), s.recorder.fallback(), s.recorder.sent() - before}, windows));
  if (r) s.add(decide_window_rows(s.invitee_page->total, r.value().total, windows));
}

int64_t now_s(const Session& s) { return static_cast<int64_t>(unix_seconds(s.clock.wall_now())); }

// The kinds of `amount_fields` and the times of `time_fields` in every answer from `path`.
struct Seen {
  std::map<std::string, size_t> amounts;
  TimesSeen times;
};
Seen seen_in(const Session& s, std::string_view path, std::span<const std::string_view> amount_fields,
             std::span<const std::string_view> time_fields) {
  Seen out;
  out.times.offset_s = s.global.time_zone_offset_seconds;
  out.times.coinw_now = now_s(s) + static_cast<int64_t>(median_skew(s.recorder.skews()));
  for (auto body : s.recorder.bodies(path)) {
    const auto shape = inspect_body(body, amount_fields, time_fields, out.times.offset_s);
    for (const auto& [k, n] : shape.amounts) out.amounts[k] += n;
    for (const auto& [k, n] : shape.times) out.times.patterns[k] += n;
    out.times.instants.insert(out.times.instants.end(), shape.instants.begin(), shape.instants.end());
  }
  return out;
}

void invitee_format(Session& s) {
  if (!s.invitee_page) return;
  const auto seen = seen_in(s, facts::kInviteeAssetsPath, kAmountFields, kTimeFields);
  s.add(decide_amounts(seen.amounts,
                       {"invitee_assets.amounts", "amount fields", "a null or absent amount leaves that value out.",
                        "counts values it cannot read (coinw_api_invalid_fields_total); more than 10% of rows so "
                        "affected and the page is refused as a format change."}));
  s.add(decide_times(seen.times, {"invitee_assets.times", "an invitee deposits: a fresh updateTime",
                                  "the *_time metrics are in the future, and window edges are that much off"}));
}

api::RegistrationQuery registration_query(const Session& s, int64_t start, int64_t end) {
  const int offset = s.global.time_zone_offset_seconds;
  return {1, kFunnelPageSize, format_coinw_time(start, offset), format_coinw_time(end, offset)};
}

// The collector's first walk in one request: the whole range from `since`.
// Refused as a bad request, one month tells a refused length from a refused endpoint.
void registrations_access(Session& s) {
  const int offset = s.global.time_zone_offset_seconds;
  const int64_t since = int64_t{s.account.invitee_registrations.since_day} * kDay - offset;
  const int64_t end = now_s(s) + kRangeSlack;
  RangeProbe p;
  p.days = (end - since) / kDay;
  auto whole = s.client.invitee_list(registration_query(s, since, end), s.deadline());
  s.saw(error_of(whole));
  p.whole_error = error_of(whole);
  auto refused = p.whole_error;
  if (p.whole_error && p.whole_error->reason == api::FailureReason::bad_request && end - since > kMonth) {
    p.month_asked = true;
    auto month = s.client.invitee_list(registration_query(s, end - kMonth, end), s.deadline());
    s.saw(error_of(month));
    refused = p.month_error = error_of(month);
  }
  s.add(decide_access({"invitee_registrations.access", "the affiliate sign-up list",
                       "give the key the Affiliate permission on CoinW (a master account's key)",
                       "invitee_registrations.enabled: false"},
                      refused));
  if (auto f = decide_list_range(p)) s.add(std::move(*f));
}

void registrations_times(Session& s) {
  if (s.recorder.bodies(facts::kInviteeListPath).empty()) return;
  const auto seen = seen_in(s, facts::kInviteeListPath, {}, kRegisterTime);
  s.add(decide_times(seen.times, {"invitee_registrations.times", "an invitee signs up: a fresh registerTime",
                                  "coinw_invitee_registration_timestamp_seconds is in the future, and sign-ups near "
                                  "a window's edge count in the wrong window"}));
}

// Yesterday and today in global.time_zone, as the collector asks for the open day.
void volume_access(Session& s) {
  const int32_t today = local_day(now_s(s), s.global.time_zone_offset_seconds);
  api::VolumeQuery q{1, kFunnelPageSize, today - 1, today};
  auto r = s.client.invitee_volume(q, s.deadline());
  s.saw(error_of(r));
  s.add(decide_access({"invitee_trade_volume.access", "the affiliate trading-volume list",
                       "give the key the Affiliate permission on CoinW (a master account's key)",
                       "invitee_trade_volume.enabled: false"},
                      error_of(r)));
  if (!r) return;
  std::vector<int32_t> days;
  for (const auto& row : r.value().rows) days.push_back(row.day);
  s.add(decide_open_day(days, today));
}

void volume_format(Session& s) {
  if (s.recorder.bodies(facts::kInviteeVolumePath).empty()) return;
  const auto seen = seen_in(s, facts::kInviteeVolumePath, kVolume, {});
  s.add(decide_amounts(seen.amounts, {"invitee_trade_volume.volume", "volume values",
                                      "a row with a null or absent volume is skipped, counted in "
                                      "coinw_api_invalid_rows_total.",
                                      "skips each row whose volume it cannot read, counted in "
                                      "coinw_api_invalid_rows_total."}));
}

void sub_accounts_access(Session& s) {
  auto r = s.client.sub_accounts(s.deadline());
  s.saw(error_of(r));
  s.add(decide_access(
      {"sub_accounts.access", "the sub-account list",
       "use a master account's API key (sub-accounts cannot list sub-accounts)", "sub_accounts.enabled: false"},
      error_of(r)));
  if (r) s.sub_accounts = std::move(r.value());
}

void api_keys_access(Session& s) {
  auto r = s.client.sub_account_api_keys(s.deadline());
  s.saw(error_of(r));
  s.add(
      decide_access({"sub_accounts.api_keys.access", "the sub-accounts' API-key list",
                     "use a master account's API key (the sub-account list's)", "sub_accounts.api_keys.enabled: false"},
                    error_of(r)));
  if (!r && !format_change(r.error())) return;  // a changed format: its fields say how
  std::map<std::string, size_t> flags, whitelist;
  for (auto body : s.recorder.bodies(facts::kPrivateSpotPath, facts::kSubAccountApiKeyCommand)) {
    // The flags as time fields: strings come as patterns ("9" or "a"), so "1" and "Y" differ.
    const auto shape = inspect_body(body, kWhiteList, kKeyFlags, 0);
    for (const auto& [k, n] : shape.times) flags[k] += n;
    for (const auto& [k, n] : shape.amounts) whitelist[k] += n;
  }
  s.add(decide_key_fields(flags, whitelist));
}

// The first listed sub-account and the first configured coin, as the collector's first request.
void funds_access(Session& s) {
  if (!s.sub_accounts) return;  // the list's own finding says why
  if (s.sub_accounts->rows.empty()) {
    s.add({"sub_accounts.funds.access", Verdict::open, "CoinW lists no sub-account: there is nothing to ask about.",
           "the funds collector sends nothing until a sub-account exists.", ""});
    return;
  }
  const uint64_t uid = s.sub_accounts->rows.front().uid;
  const auto& coin = s.account.sub_accounts.funds.coins.front();
  auto r = s.client.transfer_available(uid, coin, s.deadline());
  s.saw(error_of(r));
  s.add(decide_funds_access(coin, error_of(r)));
  if (r)
    s.funds_uid = uid;
  else if (!format_change(r.error()))
    return;
  std::map<std::string, size_t> kinds;
  for (auto body : s.recorder.bodies(facts::kPrivateSpotPath, facts::kTransferAvailableCommand))
    ++kinds[inspect_body(body, {}, {}, 0).data_kind];
  s.add(decide_amounts(kinds, {"sub_accounts.funds.amount", "the transferable amount (data)",
                               "a null or absent amount is a format change: that pair is counted and skipped.",
                               "counts each such answer as a format change and keeps the last amount."}));
}

void funds_unknown_coin(Session& s) {
  if (!s.funds_uid) return;
  auto r = s.client.transfer_available(*s.funds_uid, kNoSuchCoin, s.deadline());
  s.saw(error_of(r));
  s.add(decide_unknown_coin(error_of(r), r ? std::optional(r.value().amount) : std::nullopt));
}

void code_type(Session& s) {
  std::map<std::string, std::set<std::string>> kinds;
  bool answered = false;
  struct Source {
    std::string_view path, command, name;
  };
  for (auto [path, command, name] :
       {Source{facts::kInviteeAssetsPath, {}, "invitee_assets"},
        Source{facts::kPrivateSpotPath, facts::kSubAccountListCommand, "sub_account_list"},
        Source{facts::kInviteeListPath, {}, "invitee_list"}, Source{facts::kInviteeVolumePath, {}, "invitee_volume"},
        Source{facts::kPrivateSpotPath, facts::kSubAccountApiKeyCommand, "sub_account_apikey"},
        Source{facts::kPrivateSpotPath, facts::kTransferAvailableCommand, "sub_account_transfer_available"}})
    for (auto body : s.recorder.bodies(path, command)) {
      answered = true;
      const auto kind = inspect_body(body, {}, {}, 0).code_kind;
      if (!kind.empty()) kinds[std::string(name)].insert(kind);
    }
  if (answered) s.add(decide_code_kinds(kinds));
}

void clock_skew(Session& s) { s.add(decide_skew(s.recorder.skews())); }

void connection(Session& s) {
  if (s.recorder.sent() == 0) return;
  const auto& a = s.account;
  size_t answers = 0;
  for (const auto& e : s.recorder.exchanges()) answers += e.answer.has_value();
  const std::string url = a.base_url.text();
  s.add(decide_connection({url, url.rfind("https://", 0) == 0, a.proxy.masked(), a.proxy_from}, answers,
                          s.first_transport_error));
}

void rate_limits(Session& s) {
  const auto& a = s.account;
  for (auto& f : open_questions(a.invitee_assets.enabled, a.sub_accounts.enabled,
                                a.invitee_registrations.enabled || a.invitee_trade_volume.enabled))
    s.add(std::move(f));
}

}  // namespace

void Session::saw(const std::optional<api::ApiError>& e) {
  if (e && transport_failure(e->reason) && !first_transport_error) first_transport_error = e;
}

const std::array<Probe, kProbeCount> kProbes = {{
    {"invitee_assets.access", Needs::invitee_assets, 1, "whether the key has the permissions each collector needs",
     invitee_access},
    {"invitee_assets.page_size", Needs::invitee_assets, 2, "the real page-size cap", invitee_page_size},
    {"invitee_assets.window", Needs::invitee_assets, 2,
     "how CoinW signs time parameters; whether a windowed answer lists every invitee", invitee_window},
    {"invitee_assets.format", Needs::invitee_assets, 0, "the type of amounts; the zone and format of the times",
     invitee_format},
    {"sub_accounts.access", Needs::sub_accounts, 1, "whether the key has the permissions each collector needs",
     sub_accounts_access},
    {"sub_accounts.api_keys.access", Needs::api_keys, 1,
     "whether the key may list the sub-accounts' API keys; the types of the key flags and of apiWhiteList",
     api_keys_access},
    {"sub_accounts.funds.access", Needs::funds, 1,
     "whether the key may ask a sub-account's transferable funds; the type of the amount", funds_access},
    {"sub_accounts.funds.unknown_coin", Needs::funds, 1, "whether an unknown coin is an error or 0",
     funds_unknown_coin},
    {"invitee_registrations.access", Needs::registrations, 2,
     "whether the key may use the sign-up list; the longest range /user/list accepts", registrations_access},
    {"invitee_registrations.times", Needs::registrations, 0, "the zone and format of registerTime",
     registrations_times},
    {"invitee_trade_volume.access", Needs::trade_volume, 1,
     "whether the key may use the volume list; whether today's partial day is reported", volume_access},
    {"invitee_trade_volume.volume", Needs::trade_volume, 0, "the type of volume", volume_format},
    {"code_type", Needs::any, 0, "whether `code` is a number or a string", code_type},
    {"clock", Needs::any, 0, "the clock skew, from the answers' Date header", clock_skew},
    {"connection", Needs::any, 0, "reachability, TLS and the proxy path", connection},
    {"rate_limits", Needs::any, 0, "what only a rate-limit refusal could answer", rate_limits},
}};

int max_requests_per_account() {
  return std::accumulate(kProbes.begin(), kProbes.end(), 0, [](int n, const Probe& p) { return n + p.max_requests; });
}

bool applies(const Probe& p, const config::AccountConfig& a) {
  switch (p.needs) {
    case Needs::invitee_assets: return a.invitee_assets.enabled;
    case Needs::sub_accounts: return a.sub_accounts.enabled;
    case Needs::api_keys: return a.sub_accounts.enabled && a.sub_accounts.api_keys.enabled;
    case Needs::funds: return a.sub_accounts.enabled && !a.sub_accounts.funds.coins.empty();
    case Needs::registrations: return a.invitee_registrations.enabled;
    case Needs::trade_volume: return a.invitee_trade_volume.enabled;
    case Needs::any: return true;
  }
  return true;
}

}  // namespace coinw::check
