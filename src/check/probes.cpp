#include "check/probes.h"

#include <algorithm>
#include <numeric>

#include "check/decide.h"
#include "check/shape.h"
#include "common/timefmt.h"
#include "common/wall_time.h"

namespace coinw::check {
namespace {

constexpr std::array<std::string_view, 4> kAmountFields = {"totalDeposit", "totalWithdrawal", "currentBalance",
                                                            "firstDepositAmount"};
constexpr std::array<std::string_view, 2> kTimeFields = {"updateTime", "firstDepositTime"};
// A window this short holds almost no movements: if the answer still lists
// every invitee, windowed answers list them all.
constexpr int64_t kNarrowWindowSeconds = 60;

template <class T>
std::optional<api::ApiError> error_of(const api::Result<T>& r) {
  return r ? std::nullopt : std::optional(r.error());
}

api::InviteeQuery page_query(const Session& s, int page_size) {
  api::InviteeQuery q;
  q.quote = s.quote();
  q.page_size = page_size;
  return q;
}

void invitee_access(Session& s) {
  auto r = s.client.invitee_assets(page_query(s, 1), s.deadline());
  s.saw(error_of(r));
  s.add(decide_access({"invitee_assets.access", "the affiliate invitee-assets endpoint",
                       "give the key the Affiliate permission on CoinW (a master account's key)",
                       "invitee_assets.enabled"},
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

std::vector<BodyShape> shapes(const Session& s, std::string_view path) {
  std::vector<BodyShape> out;
  for (auto body : s.recorder.bodies(path))
    out.push_back(inspect_body(body, kAmountFields, kTimeFields, s.global.time_zone_offset_seconds));
  return out;
}

void invitee_format(Session& s) {
  if (!s.invitee_page) return;
  std::map<std::string, size_t> amounts;
  TimesSeen times;
  times.offset_s = s.global.time_zone_offset_seconds;
  times.coinw_now = static_cast<int64_t>(unix_seconds(s.clock.wall_now()) + median_skew(s.recorder.skews()));
  for (const auto& shape : shapes(s, facts::kInviteeAssetsPath)) {
    for (const auto& [k, n] : shape.amounts) amounts[k] += n;
    for (const auto& [k, n] : shape.times) times.patterns[k] += n;
    times.instants.insert(times.instants.end(), shape.instants.begin(), shape.instants.end());
  }
  s.add(decide_amounts(amounts));
  s.add(decide_times(times));
}

void sub_accounts_access(Session& s) {
  auto r = s.client.sub_accounts(s.deadline());
  s.saw(error_of(r));
  s.add(decide_access({"sub_accounts.access", "the sub-account list",
                       "use a master account's API key (sub-accounts cannot list sub-accounts)",
                       "sub_accounts.enabled"},
                      error_of(r)));
}

void code_type(Session& s) {
  std::map<std::string, std::set<std::string>> kinds;
  for (auto [path, name] : {std::pair{facts::kInviteeAssetsPath, "invitee_assets"},
                            std::pair{facts::kPrivateSpotPath, "sub_account_list"}})
    for (const auto& shape : shapes(s, path))
      if (!shape.code_kind.empty()) kinds[name].insert(shape.code_kind);
  if (!s.recorder.bodies(facts::kInviteeAssetsPath).empty() || !s.recorder.bodies(facts::kPrivateSpotPath).empty())
    s.add(decide_code_kinds(kinds));
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
  for (auto& f : open_questions(s.account.invitee_assets.enabled, s.account.sub_accounts.enabled))
    s.add(std::move(f));
}

}  // namespace

void Session::saw(const std::optional<api::ApiError>& e) {
  if (e && transport_failure(e->reason) && !first_transport_error) first_transport_error = e;
}

const std::array<Probe, 9> kProbes = {{
    {"invitee_assets.access", Needs::invitee_assets, 1, "whether the key has the permissions each collector needs",
     invitee_access},
    {"invitee_assets.page_size", Needs::invitee_assets, 2, "the real page-size cap", invitee_page_size},
    {"invitee_assets.window", Needs::invitee_assets, 2,
     "how CoinW signs time parameters; whether a windowed answer lists every invitee", invitee_window},
    {"invitee_assets.format", Needs::invitee_assets, 0, "the type of amounts; the zone and format of the times",
     invitee_format},
    {"sub_accounts.access", Needs::sub_accounts, 1, "whether the key has the permissions each collector needs",
     sub_accounts_access},
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
    case Needs::any: return true;
  }
  return true;
}

}  // namespace coinw::check
