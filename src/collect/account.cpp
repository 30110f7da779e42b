#include "collect/account.h"

#include <algorithm>

#include "log/log.h"

namespace coinw::collect {
namespace {

void log_failure(const std::string& account, const char* collector, const api::ApiError& e) {
  log::warn("collector failed", {{"account", account},
                                 {"collector", collector},
                                 {"reason", std::string(api::to_string(e.reason))},
                                 {"err", e.message}});
}

}  // namespace

AccountCollector::AccountCollector(config::AccountConfig account, ClientSettings settings, ratelimit::RateGate& gate,
                                   Clock& clock, std::unique_ptr<api::Transport> transport)
    : config_(std::move(account)),
      client_settings_(std::move(settings)),
      clock_(clock),
      transport_(std::move(transport)),
      api_metrics_(config_.name),
      client_({config_.api_key, config_.secret_key}, *transport_, gate, client_settings_.client, &api_metrics_) {
  const auto& ia = config_.invitee_assets;
  if (!ia.enabled) return;
  std::vector<Pass*> passes;
  for (const auto& q : ia.quotes) {
    InviteeBook& book = *books_.emplace_back(std::make_unique<InviteeBook>(q, ia.page_size));
    if (!ia.watch.uids.empty())
      passes.push_back(watch_.emplace_back(
          std::make_unique<WatchPass>(config_.name, book, ia.watch.uids, ia.watch.min_refresh_interval)).get());
    passes.push_back(
        cumulative_.emplace_back(std::make_unique<CumulativePass>(config_.name, book, ia.min_refresh_interval)).get());
  }
  for (const auto& w : ia.windows)
    for (const auto& q : ia.quotes)
      passes.push_back(windows_.emplace_back(std::make_unique<WindowPass>(
          w, q, ia.page_size, client_settings_.client.time_zone_offset_seconds, ia.window_refresh_interval,
          ia.closed_window_grace)).get());
  scheduler_ = std::make_unique<InviteeScheduler>(std::move(passes));
}

void AccountCollector::refresh(TimePoint deadline, const ExposeSettings& settings) {
  const TimePoint arrival = clock_.now();
  {
    std::unique_lock lock(flight_mu_);
    // Another scrape's refresh may outlast our budget: then serve what we have.
    if (!clock_.wait_until(flight_done_, lock, deadline, [this] { return !in_flight_; })) return;
    // A scrape that waited for another's refresh serves its result.
    if (last_refresh_end_ && *last_refresh_end_ >= arrival) return;
    in_flight_ = true;
  }
  struct Landing {
    AccountCollector& self;
    ~Landing() {
      {
        std::lock_guard lock(self.flight_mu_);
        self.in_flight_ = false;
        self.last_refresh_end_ = self.clock_.now();
      }
      self.flight_done_.notify_all();
    }
  } landing{*this};
  drop_stale(settings);
  if (config_.sub_accounts.enabled) refresh_sub_accounts(deadline);
  if (config_.invitee_assets.enabled) refresh_invitees(deadline);
  save_state(settings.nick_name);
}

TimePoint AccountCollector::send_deadline(TimePoint deadline) const {
  // Leave room for the answer: twice the last latency, at least 50 ms.
  return deadline - std::max<Duration>(std::chrono::milliseconds(50), 2 * api_metrics_.last_latency());
}

void AccountCollector::refresh_sub_accounts(TimePoint deadline) {
  const TimePoint now = clock_.now();
  {
    std::lock_guard lock(mu_);
    if (sub_health_.last_success_steady &&
        now - *sub_health_.last_success_steady < config_.sub_accounts.min_refresh_interval)
      return;
  }
  auto result = client_.sub_accounts(send_deadline(deadline));
  const TimePoint end = clock_.now();
  if (!result && !result.error().sent && result.error().reason == api::FailureReason::timeout) return;
  std::lock_guard lock(mu_);
  sub_health_.success = result.ok();
  sub_health_.duration_seconds = std::chrono::duration<double>(end - now).count();
  if (result) {
    sub_watch_.observe(result.value().rows);
    sub_accounts_ = std::make_shared<const std::vector<api::SubAccount>>(std::move(result.value().rows));
    data_changed();
    sub_health_.last_success = clock_.wall_now();
    sub_health_.last_success_steady = end;
    sub_health_.last_full_refresh = sub_health_.last_success;
    // With invitees, the next complete pass writes the sub-accounts too.
    state_dirty_ = state_dirty_ || !config_.invitee_assets.enabled;
  } else {
    log_failure(config_.name, "sub_accounts", result.error());
  }
}

void AccountCollector::refresh_invitees(TimePoint deadline) {
  const TimePoint start = clock_.now();
  InviteeScheduler::Hooks hooks{
      [this](Pass&, bool completed, const Now& now) { invitee_answered(completed, now); },
      [this](const api::ApiError& e) { log_failure(config_.name, "invitee_assets", e); }};
  const auto outcome = scheduler_->run(client_, clock_, [&] { return send_deadline(deadline); }, hooks);
  if (outcome.rolled) data_changed();
  if (!outcome.tried) return;
  std::lock_guard lock(mu_);
  invitee_health_.success = !outcome.failed;
  invitee_health_.duration_seconds = std::chrono::duration<double>(clock_.now() - start).count();
}

void AccountCollector::invitee_answered(bool completed, const Now& now) {
  data_changed();
  std::lock_guard lock(mu_);
  state_dirty_ = state_dirty_ || completed;
  invitee_health_.last_success = now.wall;
  invitee_health_.last_success_steady = now.steady;
  if (!completed) return;
  if (auto full = full_refresh_time()) invitee_health_.last_full_refresh = full;
}

std::optional<WallTime> AccountCollector::full_refresh_time() const {
  std::optional<WallTime> oldest;
  for (const auto& c : cumulative_) {
    const auto t = c->completed_wall();
    if (!t) return std::nullopt;
    if (!oldest || *t < *oldest) oldest = t;
  }
  return oldest;
}

bool AccountCollector::stale(const CollectorHealth& h, const ExposeSettings& s) const {
  return !h.last_success_steady || clock_.now() - *h.last_success_steady > s.staleness_limit;
}

void AccountCollector::drop_stale(const ExposeSettings& settings) {
  std::lock_guard lock(mu_);
  if (sub_accounts_ && stale(sub_health_, settings)) {
    log::warn("dropping stale data", {{"account", config_.name}, {"collector", "sub_accounts"}});
    sub_accounts_.reset();
    data_changed();
  }
  if (stale(invitee_health_, settings)) {
    bool dropped = false;
    for (auto& book : books_) {
      if (book->size() == 0) continue;
      book->clear();
      dropped = true;
    }
    for (auto& c : cumulative_) c->forget();
    // A closed window fetched for good is still right: only open ones go.
    for (auto& w : windows_) dropped = w->clear_unless_final() || dropped;
    if (dropped) {
      log::warn("dropping stale data", {{"account", config_.name}, {"collector", "invitee_assets"}});
      data_changed();
    }
  }
}

AccountStatus AccountCollector::status() const {
  AccountStatus s;
  s.name = config_.name;
  s.invitees_enabled = config_.invitee_assets.enabled;
  s.sub_accounts_enabled = config_.sub_accounts.enabled;
  for (const auto& book : books_) s.invitee_rows += book->size();
  std::lock_guard lock(mu_);
  s.invitees = invitee_health_;
  s.sub_accounts = sub_health_;
  s.sub_account_rows = sub_accounts_ ? sub_accounts_->size() : 0;
  return s;
}

}  // namespace coinw::collect
