// An account's cache across restarts: what goes into the state file, and what
// comes back from it at start (state_store.h).
#include "collect/account.h"
#include "collect/labels.h"

namespace coinw::collect {

void AccountCollector::use_state(std::shared_ptr<StateStore> store) {
  std::lock_guard lock(mu_);
  state_ = std::move(store);
}

AccountState AccountCollector::state_snapshot(config::NickNamePolicy nick) const {
  AccountState s;
  s.account = config_.name;
  std::lock_guard lock(mu_);
  s.invitees_fetched = invitee_health_.last_success;
  for (const auto& c : cumulative_) s.quotes.push_back(QuoteState{c->quote(), c->book().state(), c->completed_wall()});
  for (const auto& w : windows_)
    if (auto ws = w->state()) s.windows.push_back(std::move(*ws));
  s.sub_accounts_fetched = sub_health_.last_success;
  if (sub_accounts_) {
    s.sub_accounts = *sub_accounts_;
    // Only what is exposed goes to disk: a masked nickname stays masked.
    for (auto& sub : s.sub_accounts) sub.nick_name = nick_name_label(sub.nick_name, nick);
  }
  return s;
}

void AccountCollector::save_state(config::NickNamePolicy nick) {
  std::shared_ptr<StateStore> store;
  {
    std::lock_guard lock(mu_);
    if (!state_dirty_ || !state_) return;
    state_dirty_ = false;
    store = state_;
  }
  store->save(state_snapshot(nick));
}

void AccountCollector::restore_state(Duration staleness_limit) {
  std::shared_ptr<StateStore> store;
  {
    std::lock_guard lock(mu_);
    store = state_;
  }
  if (!store) return;
  auto state = store->load(config_.name);
  std::lock_guard lock(mu_);
  if (!state) {
    ++state_load_failures_;
    return;
  }
  const WallTime wall = clock_.wall_now();
  const TimePoint now = clock_.now();
  // Values keep their original fetch time; too old ones are not served at all.
  auto usable = [&](const std::optional<WallTime>& t) { return t && wall - *t <= staleness_limit; };
  auto steady = [&](WallTime t) {
    return now - std::chrono::duration_cast<Duration>(std::max(wall - t, WallTime::duration::zero()));
  };
  if (config_.sub_accounts.enabled && usable(state->sub_accounts_fetched)) {
    sub_accounts_ = std::make_shared<const std::vector<api::SubAccount>>(std::move(state->sub_accounts));
    sub_health_.last_success = sub_health_.last_full_refresh = state->sub_accounts_fetched;
    sub_health_.last_success_steady = steady(*state->sub_accounts_fetched);
  }
  if (!config_.invitee_assets.enabled) return;
  // A window of a period fetched for good never goes stale; the others only
  // while the invitee data as a whole is usable.
  const bool fresh = usable(state->invitees_fetched);
  scheduler_->roll(Now{now, wall});
  for (const auto& ws : state->windows)
    for (auto& w : windows_)
      if ((ws.final || fresh) && w->restore(ws, steady(ws.complete))) data_changed();
  if (!fresh) return;
  for (auto& q : state->quotes) {
    auto c = std::find_if(cumulative_.begin(), cumulative_.end(), [&](const auto& p) { return p->quote() == q.quote; });
    if (c == cumulative_.end()) continue;  // a quote no longer configured
    (*c)->book().restore(std::move(q.book));
    if (q.complete) (*c)->restore(steady(*q.complete), *q.complete);
  }
  invitee_health_.last_success = state->invitees_fetched;
  invitee_health_.last_success_steady = steady(*state->invitees_fetched);
  invitee_health_.last_full_refresh = full_refresh_time();
  data_changed();
}

}  // namespace coinw::collect
