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
  for (const auto& book : books_) {
    QuoteState q{book->quote(), book->state(), std::nullopt};
    if (auto it = pass_completed_wall_.find(book->quote()); it != pass_completed_wall_.end()) q.complete = it->second;
    s.quotes.push_back(std::move(q));
  }
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
  if (!config_.invitee_assets.enabled || !usable(state->invitees_fetched)) return;
  for (auto& q : state->quotes) {
    auto book = std::find_if(books_.begin(), books_.end(), [&](const auto& b) { return b->quote() == q.quote; });
    if (book == books_.end()) continue;  // a quote no longer configured
    (*book)->restore(std::move(q.book));
    if (q.complete) {
      pass_completed_[q.quote] = steady(*q.complete);
      pass_completed_wall_[q.quote] = *q.complete;
    }
  }
  invitee_health_.last_success = state->invitees_fetched;
  invitee_health_.last_success_steady = steady(*state->invitees_fetched);
  if (pass_completed_wall_.size() == books_.size() && !books_.empty())
    invitee_health_.last_full_refresh =
        std::min_element(pass_completed_wall_.begin(), pass_completed_wall_.end(),
                         [](auto& a, auto& b) { return a.second < b.second; })
            ->second;
}

}  // namespace coinw::collect
