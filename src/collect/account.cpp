#include "collect/account.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "collect/state_codec.h"
#include "exposition/catalogue.h"
#include "log/log.h"

namespace coinw::collect {
namespace {

using exposition::sample;
using exposition::with;
namespace metric = exposition::metric;

std::vector<Scheduler> lanes_of(const std::vector<std::unique_ptr<Collector>>& collectors) {
  std::map<Lane, std::vector<Scheduler::Entry>> lanes;
  for (size_t i = 0; i < collectors.size(); ++i)
    for (Pass* p : collectors[i]->passes()) lanes[collectors[i]->lane()].push_back({p, i});
  std::vector<Scheduler> out;
  for (auto& [lane, entries] : lanes) out.emplace_back(std::move(entries));
  return out;
}

}  // namespace

AccountCollector::AccountCollector(const config::AccountConfig& account, const ClientSettings& settings,
                                   ratelimit::RateGate& gate, Clock& clock, std::unique_ptr<api::Transport> transport)
    : name_(account.name),
      clock_(clock),
      transport_(std::move(transport)),
      api_metrics_(name_),
      client_({account.api_key, account.secret_key}, *transport_, gate, settings.client, &api_metrics_),
      collectors_(make_collectors(account, settings.client.time_zone_offset_seconds)),
      lanes_(lanes_of(collectors_)),
      health_(collectors_.size()) {
  for (const auto& c : collectors_) all_light_ = all_light_ && c->light();
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
  const Scheduler::Hooks hooks{
      [this](size_t c, bool completed, const Now& now) { answered(c, completed, now); },
      [this](size_t c, const api::ApiError& e) {
        log::warn("collector failed", {{"account", name_},
                                       {"collector", std::string(collectors_[c]->name())},
                                       {"reason", std::string(api::to_string(e.reason))},
                                       {"err", e.message}});
      }};
  for (auto& lane : lanes_) {
    const auto outcome = lane.run(client_, clock_, [&] { return send_deadline(deadline); }, hooks);
    if (outcome.rolled) data_changed();
    std::lock_guard lock(mu_);
    for (const auto& [c, work] : outcome.work) {
      health_[c].success = !work.failed;
      health_[c].duration_seconds = std::chrono::duration<double>(work.spent).count();
    }
  }
  save(settings.nick_name, true);
}

TimePoint AccountCollector::send_deadline(TimePoint deadline) const {
  // Leave room for the answer: twice the last latency, at least 50 ms.
  return deadline - std::max<Duration>(std::chrono::milliseconds(50), 2 * api_metrics_.last_latency());
}

void AccountCollector::answered(size_t collector, bool completed, const Now& now) {
  data_changed();
  std::lock_guard lock(mu_);
  CollectorHealth& h = health_[collector];
  h.last_success = now.wall;
  h.last_success_steady = now.steady;
  if (!completed) return;
  // A light collector's list is saved with the next pass of the others.
  state_dirty_ = state_dirty_ || !collectors_[collector]->light() || all_light_;
  if (auto full = collectors_[collector]->full_refresh_time()) h.last_full_refresh = full;
}

bool AccountCollector::stale(const CollectorHealth& h, const ExposeSettings& s) const {
  return !h.last_success_steady || clock_.now() - *h.last_success_steady > s.staleness_limit;
}

void AccountCollector::drop_stale(const ExposeSettings& settings) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < collectors_.size(); ++i) {
    if (!stale(health_[i], settings) || !collectors_[i]->drop_stale()) continue;
    log::warn("dropping stale data", {{"account", name_}, {"collector", std::string(collectors_[i]->name())}});
    data_changed();
  }
}

DataKey AccountCollector::data_key(const ExposeSettings& settings) const {
  DataKey key;
  // Read before the data, so a change while rendering makes the next scrape render again.
  key.version = data_version_.load(std::memory_order_acquire);
  key.nick_name = settings.nick_name;
  std::lock_guard lock(mu_);
  for (const auto& h : health_) key.fresh.push_back(!stale(h, settings));
  return key;
}

void AccountCollector::collect_data(exposition::FamilySet& out, const DataKey& key) const {
  const exposition::Labels account{{"account", name_}};
  for (size_t i = 0; i < collectors_.size(); ++i)
    collectors_[i]->collect(out, RenderContext{account, i < key.fresh.size() && key.fresh[i], key.nick_name});
}

void AccountCollector::collect_health(exposition::FamilySet& out) const {
  const exposition::Labels account{{"account", name_}};
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < collectors_.size(); ++i) {
      const CollectorHealth& h = health_[i];
      const auto l = with(account, "collector", collectors_[i]->name());
      if (h.success) {
        sample(out, metric::collector_success, l, *h.success ? 1 : 0);
        sample(out, metric::collector_duration, l, h.duration_seconds);
      }
      if (h.last_success) sample(out, metric::collector_last_success, l, unix_seconds(*h.last_success));
      if (h.last_full_refresh) sample(out, metric::collector_last_full_refresh, l, unix_seconds(*h.last_full_refresh));
    }
  }
  for (const auto& c : collectors_) c->collect_progress(out, account);
  api_metrics_.collect(out, account);
  for (api::Endpoint e : {api::Endpoint::invitee_assets, api::Endpoint::sub_account_list})
    sample(out, metric::rate_limit_paused, with(account, "endpoint", api::to_string(e)), client_.paused_until(e) ? 1 : 0);
  std::lock_guard lock(mu_);
  if (state_) sample(out, metric::state_load_failures, account, static_cast<double>(state_load_failures_));
}

AccountStatus AccountCollector::status() const {
  AccountStatus s{name_, {}};
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < collectors_.size(); ++i)
    s.collectors.push_back({std::string(collectors_[i]->name()), health_[i], collectors_[i]->rows()});
  return s;
}

void AccountCollector::use_state(std::shared_ptr<StateDir> dir) {
  std::lock_guard lock(mu_);
  state_ = std::move(dir);
}

void AccountCollector::save_state(config::NickNamePolicy nick) { save(nick, false); }

void AccountCollector::save(config::NickNamePolicy nick, bool only_if_dirty) {
  std::shared_ptr<StateDir> dir;
  std::vector<StateSlice> slices;
  {
    std::lock_guard lock(mu_);
    if ((only_if_dirty && !state_dirty_) || !state_) return;
    state_dirty_ = false;
    dir = state_;
    for (size_t i = 0; i < collectors_.size(); ++i)
      slices.push_back(collectors_[i]->snapshot(health_[i].last_success, nick));
  }
  dir->save(name_, [name = name_, slices = std::move(slices)] {
    return encode_state(name, std::chrono::system_clock::now(), slices);
  });
}

void AccountCollector::restore_state(Duration staleness_limit) {
  std::shared_ptr<StateDir> dir;
  {
    std::lock_guard lock(mu_);
    dir = state_;
  }
  if (!dir) return;
  const std::string file = dir->path_for(name_).string();
  auto read = dir->read(name_);
  std::string error = read.error;
  std::optional<nlohmann::json> state;
  if (read.text) state = decode_state(*read.text, name_, error);
  std::lock_guard lock(mu_);
  if (!state) {
    // No file yet is a new state_dir, not a failure.
    if (error.empty()) {
      log::info("no state file yet; starting empty", {{"file", file}});
      return;
    }
    ++state_load_failures_;
    log::warn("ignoring state file", {{"file", file}, {"err", error}});
    return;
  }
  const RestoreContext r{Now{clock_.now(), clock_.wall_now()}, staleness_limit};
  for (size_t i = 0; i < collectors_.size(); ++i) {
    try {
      const auto fetched = collectors_[i]->restore(*state, r);
      if (!fetched) continue;
      health_[i].last_success = fetched;
      health_[i].last_success_steady = r.steady(*fetched);
      health_[i].last_full_refresh = collectors_[i]->full_refresh_time();
    } catch (const std::exception& e) {
      ++state_load_failures_;
      log::warn("ignoring part of the state file", {{"file", file},
                                                   {"collector", std::string(collectors_[i]->name())},
                                                   {"err", std::string("unexpected content: ") + e.what()}});
    }
  }
  data_changed();
}

}  // namespace coinw::collect
