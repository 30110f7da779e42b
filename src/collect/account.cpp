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

// A lane sends with deadlines this far ahead, so that a limiter never makes it
// sleep longer (through a 30 s pause, say) than a cancellation may wait.
constexpr Duration kSlice = std::chrono::seconds(2);
// While a pass may still start, an idle lane looks again this often: a pass
// due meanwhile starts at most this late.
constexpr Duration kTick = std::chrono::milliseconds(250);

std::vector<api::Endpoint> endpoints_of(const std::vector<std::unique_ptr<Collector>>& collectors) {
  std::vector<api::Endpoint> out;
  for (const auto& c : collectors)
    for (api::Endpoint e : c->endpoints())
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  return out;
}

}  // namespace

// One lane's scheduler, its connection and the thread that runs it.
struct AccountCollector::LaneWorker {
  LaneWorker(std::vector<Scheduler::Entry> entries, std::unique_ptr<api::Transport> t, const api::Credentials& c,
             ratelimit::RateGate& gate, const api::ClientOptions& o, api::ClientObserver* observer)
      : scheduler(std::move(entries)), transport(std::move(t)), client(c, *transport, gate, o, observer) {}
  Scheduler scheduler;
  std::unique_ptr<api::Transport> transport;
  api::Client client;
  std::vector<size_t> collectors;
  std::map<size_t, Duration> spent;  // in the refresh in progress, by collector
  // Guarded by flight_mu_:
  std::thread thread;
  bool running = false;
  std::atomic<bool> wake = false;  // a scrape came since the lane last looked
  uint64_t seen = 0;               // the scrapes the current round knows of
  uint64_t idle_for = 0;           // the scrapes it had seen when it last found nothing due
};

AccountCollector::AccountCollector(const config::AccountConfig& account, const ClientSettings& settings,
                                   ratelimit::RateGate& gate, Clock& clock, const TransportSource& transports)
    : name_(account.name),
      clock_(clock),
      collectors_(make_collectors(account, settings.client.time_zone_offset_seconds)),
      api_metrics_(name_, endpoints_of(collectors_)),
      health_(collectors_.size()),
      failing_(collectors_.size()) {
  std::map<Lane, std::vector<Scheduler::Entry>> entries;
  for (size_t i = 0; i < collectors_.size(); ++i) {
    all_light_ = all_light_ && collectors_[i]->light();
    for (Pass* p : collectors_[i]->passes()) entries[collectors_[i]->lane()].push_back({p, i});
  }
  for (auto& [lane, e] : entries) {
    auto worker =
        std::make_unique<LaneWorker>(std::move(e), transports(), api::Credentials{account.api_key, account.secret_key},
                                     gate, settings.client, &api_metrics_);
    for (size_t i = 0; i < collectors_.size(); ++i)
      if (collectors_[i]->lane() == lane) worker->collectors.push_back(i);
    lanes_.push_back(std::move(worker));
  }
}

AccountCollector::~AccountCollector() { stop(); }

void AccountCollector::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(flight_mu_);
    stopping_ = true;
    for (auto& lane : lanes_)
      if (lane->thread.joinable()) threads.push_back(std::move(lane->thread));
  }
  flight_cv_.notify_all();
  for (auto& t : threads) t.join();
}

void AccountCollector::refresh(TimePoint deadline, const ExposeSettings& settings) {
  std::vector<std::thread> ended;
  std::unique_lock lock(flight_mu_);
  if (stopping_) return;
  last_scrape_ = clock_.now();
  expose_ = settings;
  const uint64_t scrape = ++scrapes_;
  for (auto& lane : lanes_) {
    lane->wake = true;
    if (lane->running) continue;
    if (lane->thread.joinable()) ended.push_back(std::move(lane->thread));
    lane->running = true;
    lane->thread = std::thread([this, l = lane.get()] { work(*l); });
  }
  flight_cv_.notify_all();
  lock.unlock();
  for (auto& t : ended) t.join();  // threads that had already left their loop
  lock.lock();
  clock_.wait_until(flight_cv_, lock, deadline, [&] {
    for (const auto& lane : lanes_)
      if (lane->running && lane->idle_for < scrape) return false;
    return true;
  });
}

void AccountCollector::work(LaneWorker& lane) {
  const Scheduler::Hooks hooks{[this](size_t c, bool completed, const Now& now) { answered(c, completed, now); },
                               [this](size_t c, const api::ApiError& e) {
                                 {
                                   std::lock_guard lock(mu_);
                                   failing_[c] = true;
                                   health_[c].success = false;
                                 }
                                 log::warn("collector failed", {{"account", name_},
                                                                {"collector", std::string(collectors_[c]->name())},
                                                                {"reason", std::string(api::to_string(e.reason))},
                                                                {"err", e.message}});
                               }};
  // No scrape waits for the answer of a background request, so only the
  // slice bounds it; once cancelled, a deadline already past refuses the next
  // request unsent.
  auto deadline = [this] { return clock_.now() + (stopping_ ? -kSlice : kSlice); };
  std::unique_lock lock(flight_mu_);
  while (!stopping_) {
    if (lane.wake && lane.seen != scrapes_) lane.scheduler.new_scrape();
    lane.wake = false;
    lane.seen = scrapes_;
    const TimePoint scraped = last_scrape_;
    const ExposeSettings settings = expose_;
    lock.unlock();
    drop_stale(lane.collectors, settings);
    const auto outcome =
        lane.scheduler.run(lane.client, clock_, deadline, hooks, scraped, [&] { return lane.wake.load(); });
    if (outcome.rolled) data_changed();
    record(lane, outcome);
    save(settings.nick_name, true);
    lock.lock();
    if (outcome.more) continue;  // more is due now, or a scrape came: a new round
    lane.idle_for = lane.seen;
    lane.spent.clear();
    {
      std::lock_guard health(mu_);
      for (size_t c : lane.collectors) failing_[c] = false;
    }
    flight_cv_.notify_all();
    if (!idle(lane, lock)) break;
  }
  lane.running = false;
  lane.idle_for = scrapes_;
  flight_cv_.notify_all();
}

bool AccountCollector::idle(LaneWorker& lane, std::unique_lock<std::mutex>& lock) {
  // Awake while a pass may still start (a scrape came within its interval):
  // a tick runs the lane again to start what became due since.
  for (;;) {
    if (stopping_) return false;
    if (lane.wake) return true;
    const TimePoint quiet = last_scrape_ + lane.scheduler.watch_window();
    const TimePoint now = clock_.now();
    if (now >= quiet) return false;
    if (!clock_.wait_until(flight_cv_, lock, std::min(now + kTick, quiet), [&] { return stopping_ || lane.wake; }) &&
        clock_.now() < quiet)
      return true;
  }
}

void AccountCollector::record(LaneWorker& lane, const Scheduler::Outcome& outcome) {
  std::lock_guard lock(mu_);
  // The refresh in progress so far: it spans rounds until nothing is due.
  for (const auto& [c, w] : outcome.work) {
    lane.spent[c] += w.spent;
    health_[c].duration_seconds = std::chrono::duration<double>(lane.spent[c]).count();
  }
}

void AccountCollector::answered(size_t collector, bool completed, const Now& now) {
  data_changed();
  std::lock_guard lock(mu_);
  CollectorHealth& h = health_[collector];
  // Failing since one request of the refresh in progress failed.
  h.success = !failing_[collector];
  h.last_success = now.wall;
  h.last_success_steady = now.steady;
  if (!completed) return;
  // A light collector's list is saved with the next pass of the others, but
  // for its first one.
  state_dirty_ = state_dirty_ || !collectors_[collector]->light() || all_light_ || !h.last_full_refresh;
  if (auto full = collectors_[collector]->full_refresh_time()) h.last_full_refresh = full;
}

bool AccountCollector::stale(const CollectorHealth& h, const ExposeSettings& s) const {
  return !h.last_success_steady || clock_.now() - *h.last_success_steady > s.staleness_limit;
}

void AccountCollector::drop_stale(const std::vector<size_t>& collectors, const ExposeSettings& settings) {
  std::lock_guard lock(mu_);
  for (size_t i : collectors) {
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
  for (size_t c = 0; c < collectors_.size(); ++c) {
    const auto lane = std::find_if(lanes_.begin(), lanes_.end(), [&](const auto& l) {
      return std::find(l->collectors.begin(), l->collectors.end(), c) != l->collectors.end();
    });
    if (lane == lanes_.end()) continue;  // a collector without passes sends nothing
    for (api::Endpoint e : collectors_[c]->endpoints())
      sample(out, metric::rate_limit_paused, with(account, "endpoint", api::to_string(e)),
             (*lane)->client.paused_until(e) ? 1 : 0);
  }
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
