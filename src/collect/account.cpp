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

void log_pass_start(const std::string& account, const std::string& quote) {
  log::info("invitee pass started", {{"account", account}, {"quote", quote}});
}

void log_pass_end(const std::string& account, const std::string& quote, const PassEnd& end, Duration took) {
  const std::string pages = std::to_string(end.pages), rows = std::to_string(end.rows),
                    seconds = std::to_string(std::chrono::duration<double>(took).count());
  if (end.verdict == ShrinkGuard::Verdict::hold) {
    log::warn("invitee pass not applied: under half the rows of the last one; waiting for a second pass",
              {{"account", account}, {"quote", quote}, {"pages", pages}, {"rows", rows}, {"seconds", seconds}});
    return;
  }
  log::info("invitee pass complete", {{"account", account},
                                      {"quote", quote},
                                      {"pages", pages},
                                      {"rows", rows},
                                      {"seconds", seconds},
                                      {"removed", std::to_string(end.removed)}});
}

}  // namespace

AccountCollector::AccountCollector(config::AccountConfig account, ClientSettings settings, ratelimit::RateGate& gate,
                                   Clock& clock, std::unique_ptr<api::Transport> transport)
    : config_(std::move(account)),
      client_settings_(std::move(settings)),
      clock_(clock),
      transport_(std::move(transport)),
      client_({config_.api_key, config_.secret_key}, *transport_, gate, client_settings_.client, &api_metrics_) {
  if (config_.invitee_assets.enabled)
    for (const auto& q : config_.invitee_assets.quotes)
      books_.push_back(std::make_unique<InviteeBook>(q, config_.invitee_assets.page_size));
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
  std::vector<InviteeBook*> work;
  for (auto& book : books_) {
    if (!book->pass_in_progress()) {
      std::lock_guard lock(mu_);
      auto done = pass_completed_.find(book->quote());
      if (done != pass_completed_.end() && start - done->second < config_.invitee_assets.min_refresh_interval)
        continue;
      book->start_pass();
      log_pass_start(config_.name, book->quote());
      pass_started_[book->quote()] = start;
    }
    work.push_back(book.get());
  }
  if (work.empty()) return;

  // Pages alternate between quotes, so a tight budget does not starve one of them.
  bool tried = false, failed = false;
  while (!work.empty()) {
    for (auto it = work.begin(); it != work.end();) {
      InviteeBook& book = **it;
      auto page = client_.invitee_assets(book.next_query(), send_deadline(deadline));
      if (!page) {
        const auto& e = page.error();
        if (!e.sent && e.reason == api::FailureReason::timeout) {  // out of budget: resume next scrape
          work.clear();
          break;
        }
        tried = failed = true;
        log_failure(config_.name, "invitee_assets", e);
        if (!e.sent) {  // paused after a rate-limit answer: every quote waits
          work.clear();
          break;
        }
        it = work.erase(it);  // this quote retries on the next scrape
        continue;
      }
      tried = true;
      const TimePoint now = clock_.now();
      const auto end = book.apply(page.value(), now, config_.invitee_assets.min_refresh_interval);
      data_changed();
      const bool completed = end.has_value();
      std::lock_guard lock(mu_);
      if (end) log_pass_end(config_.name, book.quote(), *end, now - pass_started_[book.quote()]);
      state_dirty_ = state_dirty_ || end.has_value();
      invitee_health_.last_success = clock_.wall_now();
      invitee_health_.last_success_steady = now;
      if (completed) {
        pass_completed_[book.quote()] = now;
        pass_completed_wall_[book.quote()] = *invitee_health_.last_success;
        // The collector is fully refreshed as of its oldest complete quote.
        if (pass_completed_wall_.size() == books_.size()) {
          invitee_health_.last_full_refresh = std::min_element(pass_completed_wall_.begin(), pass_completed_wall_.end(),
                                                               [](auto& a, auto& b) { return a.second < b.second; })
                                                  ->second;
        }
        it = work.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (!tried) return;
  std::lock_guard lock(mu_);
  invitee_health_.success = !failed;
  invitee_health_.duration_seconds = std::chrono::duration<double>(clock_.now() - start).count();
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
    for (auto& book : books_) {
      if (book->size() == 0) continue;
      log::warn("dropping stale data", {{"account", config_.name}, {"collector", "invitee_assets"}});
      book->clear();
      data_changed();
    }
    pass_completed_.clear();
    pass_completed_wall_.clear();
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
