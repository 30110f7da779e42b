// What an account exposes on each scrape: its cached data as metric families,
// and its health.
#include <algorithm>
#include <cmath>
#include <limits>

#include "collect/account.h"
#include "collect/labels.h"
#include "exposition/catalogue.h"
#include "exposition/last_label.h"

namespace coinw::collect {
namespace {

using exposition::Labels;
using exposition::sample;
using exposition::with;
namespace metric = exposition::metric;

double unix_seconds(WallTime t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

}  // namespace

DataKey AccountCollector::data_key(const ExposeSettings& settings) const {
  DataKey key;
  // Read before the data, so a change while rendering makes the next scrape render again.
  key.version = data_version_.load(std::memory_order_acquire);
  key.nick_name = settings.nick_name;
  std::lock_guard lock(mu_);
  key.invitees_fresh = !stale(invitee_health_, settings);
  key.sub_accounts_fresh = !stale(sub_health_, settings);
  return key;
}

void AccountCollector::collect_data(exposition::FamilySet& out, const DataKey& key) const {
  const Labels account{{"account", config_.name}};
  if (key.invitees_fresh) collect_invitees(out, account);
  collect_windows(out, account, key.invitees_fresh);
  if (key.sub_accounts_fresh) collect_sub_accounts(out, account, key.nick_name);
  // Counters and declared states: they change only with a refresh or a reload.
  if (config_.sub_accounts.enabled) sub_watch_.collect(out, account, config_.sub_accounts.expected);
}

namespace {

// Rows that get per-uid series, or nullptr for all of them: the top_k by
// `key` (with per_invitee_series: top), plus every watched uid.
template <class Rows, class Key>
std::unique_ptr<std::vector<uint64_t>> selected_uids(const Rows& rows, size_t size, Key key,
                                                     const config::InviteeAssetsConfig& c) {
  using config::PerInviteeSeries;
  if (c.per_invitee_series == PerInviteeSeries::all) return nullptr;
  auto uids = std::make_unique<std::vector<uint64_t>>(c.watch.uids);
  if (c.per_invitee_series == PerInviteeSeries::top) {
    std::vector<std::pair<double, uint64_t>> ranked;
    ranked.reserve(size);
    rows.for_each([&](const auto& r) {
      const double v = key(r);
      ranked.emplace_back(std::isnan(v) ? -std::numeric_limits<double>::infinity() : v, r.uid);
    });
    const size_t k = std::min(ranked.size(), static_cast<size_t>(c.top_k));
    // Largest first; equal values by uid, so the selection is stable between scrapes.
    auto larger = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(), larger);
    for (size_t i = 0; i < k; ++i) uids->push_back(ranked[i].second);
  }
  std::sort(uids->begin(), uids->end());
  uids->erase(std::unique(uids->begin(), uids->end()), uids->end());
  return uids;
}

std::unique_ptr<std::vector<uint64_t>> selected_uids(const InviteeBook& book, const config::InviteeAssetsConfig& c) {
  const bool by_balance = c.top_by == config::TopBy::current_balance;
  return selected_uids(book, book.size(),
                       [by_balance](const InviteeRow& r) { return by_balance ? r.current_balance : r.total_deposit; }, c);
}

bool selected(const std::unique_ptr<std::vector<uint64_t>>& uids, uint64_t uid) {
  return !uids || std::binary_search(uids->begin(), uids->end(), uid);
}

}  // namespace

void AccountCollector::collect_invitees(exposition::FamilySet& out, const Labels& account) const {
  using exposition::Family;
  Family& deposit = exposition::family(out, metric::invitee_total_deposit);
  Family& withdrawal = exposition::family(out, metric::invitee_total_withdrawal);
  Family& balance = exposition::family(out, metric::invitee_current_balance);
  Family& first_amount = exposition::family(out, metric::invitee_first_deposit_amount);
  Family& first_time = exposition::family(out, metric::invitee_first_deposit_timestamp);
  Family& updated = exposition::family(out, metric::invitee_balance_update_timestamp);
  for (const auto& book : books_) {
    const Labels quote = with(account, "quote", book->quote());
    const auto selected = selected_uids(*book, config_.invitee_assets);
    exposition::LastLabel uid_labels(quote, "uid");
    book->for_each([&](const InviteeRow& r) {
      if (!collect::selected(selected, r.uid)) return;

      const std::string_view labels = uid_labels.with(r.uid);
      auto sample_of = [&](Family& f, double v) {
        if (!std::isnan(v)) f.sample(labels, v);
      };
      sample_of(deposit, r.total_deposit);
      sample_of(withdrawal, r.total_withdrawal);
      sample_of(balance, r.current_balance);
      sample_of(first_amount, r.first_deposit_amount);
      if (r.first_deposit_time != kNoTime) first_time.sample(labels, static_cast<double>(r.first_deposit_time));
      if (r.update_time != kNoTime) updated.sample(labels, static_cast<double>(r.update_time));
    });
    collect_pass_state(out, *book, quote);
  }
  for (const auto& w : watch_)
    for (uint64_t uid : w->uids()) sample(out, metric::invitee_watched, with(with(account, "quote", w->quote()), "uid", std::to_string(uid)), 1);
}

void AccountCollector::collect_pass_state(exposition::FamilySet& out, const InviteeBook& book,
                                          const Labels& quote) const {
  if (auto total = book.total()) sample(out, metric::invitees_reported, quote, static_cast<double>(*total));
  if (auto progress = book.progress()) sample(out, metric::invitee_refresh_progress, quote, *progress);
  sample(out, metric::invitees_removed, quote, static_cast<double>(book.removed()));
  // The sums of the last complete pass, also while a new one runs: never of a half-walked list.
  const auto t = book.totals();
  if (!t) return;
  sample(out, metric::invitees, quote, static_cast<double>(t->invitees));
  sample(out, metric::invitees_deposits, quote, t->deposits);
  sample(out, metric::invitees_withdrawals, quote, t->withdrawals);
  sample(out, metric::invitees_balance, quote, t->balance);
  sample(out, metric::invitees_depositors, quote, t->depositors);
}

void AccountCollector::collect_windows(exposition::FamilySet& out, const Labels& account, bool fresh) const {
  using exposition::Family;
  if (windows_.empty()) return;
  Family& deposit = exposition::family(out, metric::invitee_window_deposit);
  Family& withdrawal = exposition::family(out, metric::invitee_window_withdrawal);
  for (const auto& w : windows_) {
    const Labels window = with(account, "window", w->name());
    if (w->quote() == config_.invitee_assets.quotes.front()) {
      const Period p = w->period();
      sample(out, metric::window_start_timestamp, window, static_cast<double>(p.start));
      sample(out, metric::window_end_timestamp, window, static_cast<double>(p.end));
    }
    // A window fetched for good stays right however long CoinW is unreachable.
    if (!fresh && !w->final()) continue;
    const Labels quote{{"account", config_.name}, {"quote", w->quote()}, {"window", w->name()}};
    const auto uids = selected_uids(*w, 0, [](const WindowRow& r) { return r.deposit; }, config_.invitee_assets);
    exposition::LastLabel uid_labels(quote, "uid");
    w->for_each([&](const WindowRow& r) {
      if (!collect::selected(uids, r.uid)) return;
      const std::string_view labels = uid_labels.with(r.uid);
      if (!std::isnan(r.deposit)) deposit.sample(labels, r.deposit);
      if (!std::isnan(r.withdrawal)) withdrawal.sample(labels, r.withdrawal);
    });
    // Absent until the period's first pass completes: never a half-walked sum.
    if (const auto t = w->totals()) {
      sample(out, metric::invitees_window_deposits, quote, t->deposits);
      sample(out, metric::invitees_window_withdrawals, quote, t->withdrawals);
      sample(out, metric::invitees_window_depositors, quote, t->depositors);
    }
  }
}

void AccountCollector::collect_passes(exposition::FamilySet& out, const Labels& account) const {
  auto put = [&](const Pass& p) {
    const Labels l = with(with(account, "quote", p.quote()), "pass", p.name());
    sample(out, metric::invitee_pass_requests, l, static_cast<double>(p.requests()));
    if (auto t = p.last_complete_seconds()) sample(out, metric::invitee_pass_last_complete, l, *t);
  };
  for (const auto& p : watch_) put(*p);
  for (const auto& p : cumulative_) put(*p);
  for (const auto& p : windows_) put(*p);
}

void AccountCollector::collect_sub_accounts(exposition::FamilySet& out, const Labels& account,
                                            config::NickNamePolicy nick_name) const {
  std::shared_ptr<const std::vector<api::SubAccount>> subs;
  {
    std::lock_guard lock(mu_);
    subs = sub_accounts_;
  }
  if (!subs) return;
  for (const auto& sub : *subs) {
    const Labels l = with(account, "uid", std::to_string(sub.uid));
    sample(out, metric::sub_account_frozen, l, sub.frozen ? 1 : 0);
    if (sub.spot_trade_known) sample(out, metric::sub_account_spot_trade_enabled, l, sub.spot_trade_enabled ? 1 : 0);
    if (sub.contract_trade_known)
      sample(out, metric::sub_account_contract_trade_enabled, l, sub.contract_trade_enabled ? 1 : 0);
    Labels info = with(l, "user_code", bounded(sub.user_code));
    info.push_back({"nick_name", nick_name_label(sub.nick_name, nick_name)});
    sample(out, metric::sub_account_info, info, 1);
  }
  sample(out, metric::sub_accounts, account, static_cast<double>(subs->size()));
}

void AccountCollector::collect_health(exposition::FamilySet& out) const {
  const Labels account{{"account", config_.name}};
  std::lock_guard lock(mu_);
  auto health = [&](const char* collector, const CollectorHealth& h) {
    const Labels l = with(account, "collector", collector);
    if (h.success) {
      sample(out, metric::collector_success, l, *h.success ? 1 : 0);
      sample(out, metric::collector_duration, l, h.duration_seconds);
    }
    if (h.last_success) sample(out, metric::collector_last_success, l, unix_seconds(*h.last_success));
    if (h.last_full_refresh) sample(out, metric::collector_last_full_refresh, l, unix_seconds(*h.last_full_refresh));
  };
  if (config_.invitee_assets.enabled) health("invitee_assets", invitee_health_);
  if (config_.sub_accounts.enabled) health("sub_accounts", sub_health_);
  collect_passes(out, account);
  api_metrics_.collect(out, account);
  for (api::Endpoint e : {api::Endpoint::invitee_assets, api::Endpoint::sub_account_list})
    sample(out, metric::rate_limit_paused, with(account, "endpoint", api::to_string(e)), client_.paused_until(e) ? 1 : 0);
  if (state_) sample(out, metric::state_load_failures, account, static_cast<double>(state_load_failures_));
}

}  // namespace coinw::collect
