// What an account exposes on each scrape: its cached data as metric families,
// and its health.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "collect/account.h"
#include "collect/labels.h"

namespace coinw::collect {
namespace {

using exposition::Labels;
using exposition::with;

double unix_seconds(WallTime t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

}  // namespace

void AccountCollector::collect(exposition::FamilySet& out, const ExposeSettings& settings) const {
  const Labels account{{"account", config_.name}};
  bool invitees_fresh, subs_fresh;
  {
    std::lock_guard lock(mu_);
    invitees_fresh = !stale(invitee_health_, settings);
    subs_fresh = !stale(sub_health_, settings);
  }
  if (invitees_fresh) collect_invitees(out, account);
  if (subs_fresh) collect_sub_accounts(out, account, settings);
  collect_health(out, account);
  collect_state(out, account);
}

namespace {

// Rows that get per-uid series, or nullptr for all of them.
std::unique_ptr<std::vector<uint64_t>> selected_uids(const InviteeBook& book, const config::InviteeAssetsConfig& c) {
  using config::PerInviteeSeries;
  if (c.per_invitee_series == PerInviteeSeries::all) return nullptr;
  auto uids = std::make_unique<std::vector<uint64_t>>();
  if (c.per_invitee_series == PerInviteeSeries::none) return uids;
  std::vector<std::pair<double, uint64_t>> ranked;
  ranked.reserve(book.size());
  const bool by_balance = c.top_by == config::TopBy::current_balance;
  book.for_each([&](const InviteeRow& r) {
    const double key = by_balance ? r.current_balance : r.total_deposit;
    ranked.emplace_back(std::isnan(key) ? -std::numeric_limits<double>::infinity() : key, r.uid);
  });
  const size_t k = std::min(ranked.size(), static_cast<size_t>(c.top_k));
  // Largest first; equal values by uid, so the selection is stable between scrapes.
  auto larger = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
  std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(), larger);
  for (size_t i = 0; i < k; ++i) uids->push_back(ranked[i].second);
  std::sort(uids->begin(), uids->end());
  return uids;
}

}  // namespace

void AccountCollector::collect_invitees(exposition::FamilySet& out, const Labels& account) const {
  using exposition::Family;
  Family& deposit = out.family("coinw_invitee_total_deposit",
                               "Total deposits of a direct invitee, in the quote currency. Cached between refreshes.",
                               "gauge");
  Family& withdrawal = out.family(
      "coinw_invitee_total_withdrawal",
      "Total withdrawals of a direct invitee, in the quote currency. Cached between refreshes.", "gauge");
  Family& balance = out.family("coinw_invitee_current_balance",
                               "Current balance of a direct invitee, in the quote currency. Cached between refreshes.",
                               "gauge");
  Family& first_amount = out.family(
      "coinw_invitee_first_deposit_amount",
      "First deposit of a direct invitee, in the quote currency. Cached between refreshes.", "gauge");
  Family& first_time = out.family("coinw_invitee_first_deposit_timestamp_seconds",
                                  "Time of a direct invitee's first deposit, unix seconds.", "gauge");
  Family& updated = out.family("coinw_invitee_balance_update_timestamp_seconds",
                               "Time CoinW last updated a direct invitee's balance, unix seconds.", "gauge");
  for (const auto& book : books_) {
    const Labels quote = with(account, "quote", book->quote());
    const auto selected = selected_uids(*book, config_.invitee_assets);
    // The label text up to the uid is the same for every row of the book.
    std::string labels = exposition::render_labels(with(quote, "uid", ""));
    const size_t prefix = labels.size() - 2;
    book->for_each([&](const InviteeRow& r) {
      if (selected && !std::binary_search(selected->begin(), selected->end(), r.uid)) return;

      labels.resize(prefix);
      char digits[24];
      labels.append(digits, std::to_chars(digits, digits + sizeof digits, r.uid).ptr);
      labels += "\"}";
      auto sample = [&](Family& f, double v) {
        if (!std::isnan(v)) f.sample(labels, v);
      };
      sample(deposit, r.total_deposit);
      sample(withdrawal, r.total_withdrawal);
      sample(balance, r.current_balance);
      sample(first_amount, r.first_deposit_amount);
      if (r.first_deposit_time != kNoTime) first_time.sample(labels, static_cast<double>(r.first_deposit_time));
      if (r.update_time != kNoTime) updated.sample(labels, static_cast<double>(r.update_time));
    });
    collect_pass_state(out, *book, quote);
  }
}

void AccountCollector::collect_pass_state(exposition::FamilySet& out, const InviteeBook& book,
                                          const Labels& quote) const {
  if (auto total = book.total())
    out.gauge("coinw_invitees_reported", "Direct invitees as CoinW counts them (data.total), which may differ.",
              quote, static_cast<double>(*total));
  if (auto progress = book.progress())
    out.gauge("coinw_invitee_refresh_progress_ratio",
              "Rows of the invitee pass in progress over the rows of the last complete pass; 1 when idle.", quote,
              *progress);
  out.counter("coinw_invitees_removed_total",
              "Invitees removed from the cache after two consecutive complete passes lacked them.", quote,
              static_cast<double>(book.removed()));
  // The sums of the last complete pass, also while a new one runs: never of a half-walked list.
  const auto t = book.totals();
  if (!t) return;
  out.gauge("coinw_invitees", "Direct invitees of the last complete pass, counted by the exporter.", quote,
            static_cast<double>(t->invitees));
  out.gauge("coinw_invitees_deposits",
            "Sum of the total deposits of all direct invitees of the last complete pass, in the quote currency.", quote,
            t->deposits);
  out.gauge("coinw_invitees_withdrawals",
            "Sum of the total withdrawals of all direct invitees of the last complete pass, in the quote currency.",
            quote, t->withdrawals);
  out.gauge("coinw_invitees_balance",
            "Sum of the current balances of all direct invitees of the last complete pass, in the quote currency.",
            quote, t->balance);
  out.gauge("coinw_invitees_depositors", "Direct invitees of the last complete pass who have made a first deposit.",
            quote, t->depositors);
}

void AccountCollector::collect_sub_accounts(exposition::FamilySet& out, const Labels& account,
                                            const ExposeSettings& s) const {
  std::shared_ptr<const std::vector<api::SubAccount>> subs;
  {
    std::lock_guard lock(mu_);
    subs = sub_accounts_;
  }
  if (!subs) return;
  for (const auto& sub : *subs) {
    const Labels l = with(account, "uid", std::to_string(sub.uid));
    out.gauge("coinw_sub_account_frozen", "Whether a sub-account is frozen (1) or normal (0). Cached between refreshes.",
              l, sub.frozen ? 1 : 0);
    if (sub.spot_trade_known)
      out.gauge("coinw_sub_account_spot_trade_enabled",
                "Whether spot trading is enabled (1) for a sub-account. Cached between refreshes.", l,
                sub.spot_trade_enabled ? 1 : 0);
    if (sub.contract_trade_known)
      out.gauge("coinw_sub_account_contract_trade_enabled",
                "Whether contract trading is enabled (1) for a sub-account. Cached between refreshes.", l,
                sub.contract_trade_enabled ? 1 : 0);
    Labels info = with(l, "user_code", bounded(sub.user_code));
    info.push_back({"nick_name", nick_name_label(sub.nick_name, s.nick_name)});
    out.gauge("coinw_sub_account_info", "Sub-account identity; nick_name is masked unless configured otherwise.",
              std::move(info), 1);
  }
  out.gauge("coinw_sub_accounts", "Sub-accounts of the master account. Cached between refreshes.", account,
            static_cast<double>(subs->size()));
}

void AccountCollector::collect_health(exposition::FamilySet& out, const Labels& account) const {
  std::lock_guard lock(mu_);
  auto health = [&](const char* collector, const CollectorHealth& h) {
    const Labels l = with(account, "collector", collector);
    if (h.success) {
      out.gauge("coinw_collector_success", "Whether the collector's last refresh succeeded.", l, *h.success ? 1 : 0);
      out.gauge("coinw_collector_duration_seconds", "Duration of the collector's last refresh.", l,
                h.duration_seconds);
    }
    if (h.last_success)
      out.gauge("coinw_collector_last_success_timestamp_seconds",
                "When the collector last received data from CoinW, unix seconds.", l, unix_seconds(*h.last_success));
    if (h.last_full_refresh)
      out.gauge("coinw_collector_last_full_refresh_timestamp_seconds",
                "When the collector last completed a refresh of all its data, unix seconds.", l,
                unix_seconds(*h.last_full_refresh));
  };
  if (config_.invitee_assets.enabled) health("invitee_assets", invitee_health_);
  if (config_.sub_accounts.enabled) health("sub_accounts", sub_health_);
  api_metrics_.collect(out, account);
  for (api::Endpoint e : {api::Endpoint::invitee_assets, api::Endpoint::sub_account_list})
    out.gauge("coinw_rate_limit_paused", "Whether the endpoint is paused after CoinW said the rate limit was exceeded.",
              with(account, "endpoint", std::string(api::to_string(e))),
              client_.paused_until(e) ? 1 : 0);
}

}  // namespace coinw::collect
