#include "collect/invitee_collector.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "collect/pass_progress.h"
#include "collect/state_codec.h"
#include "collect/watch_pass.h"
#include "collect/window_pass.h"
#include "exposition/catalogue.h"

namespace coinw::collect {

InviteeCollector::InviteeCollector(std::string account, config::InviteeAssetsConfig config, int offset_s)
    : config_(std::move(config)) {
  const auto& c = config_;
  for (const auto& q : c.quotes) {
    auto cumulative = std::make_unique<CumulativePass>(account, q, c.page_size, c.min_refresh_interval);
    cumulative_.push_back(cumulative.get());
    InviteeBook& book = cumulative->book();
    passes_.push_back(std::move(cumulative));
    if (!c.watch.uids.empty())
      passes_.push_back(std::make_unique<WatchPass>(account, book, c.watch.uids, c.watch.min_refresh_interval));
  }
  for (const auto& w : c.windows)
    for (const auto& q : c.quotes)
      passes_.push_back(
          std::make_unique<WindowPass>(w, q, c.page_size, offset_s, c.window_refresh_interval, c.closed_window_grace));
}

std::vector<Pass*> InviteeCollector::passes() {
  std::vector<Pass*> out;
  for (auto& p : passes_) out.push_back(p.get());
  return out;
}

std::optional<WallTime> InviteeCollector::full_refresh_time() const {
  std::optional<WallTime> oldest;
  for (const auto* c : cumulative_) {
    const auto t = c->completed_wall();
    if (!t) return std::nullopt;
    if (!oldest || *t < *oldest) oldest = t;
  }
  return oldest;
}

bool InviteeCollector::drop_stale() {
  bool dropped = false;
  for (auto& p : passes_) dropped = p->drop_stale() || dropped;
  return dropped;
}

void InviteeCollector::collect(exposition::FamilySet& out, const RenderContext& r) const {
  const InviteeRender render{r.account, r.fresh, config_};
  for (const auto& p : passes_) p->collect(out, render);
}

void InviteeCollector::collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const {
  for (const auto& p : passes_)
    sample_pass_progress(out, exposition::with(exposition::with(account, "quote", p->quote()), "pass", p->name()), *p);
}

size_t InviteeCollector::rows() const {
  size_t n = 0;
  for (const auto* c : cumulative_) n += c->book().size();
  return n;
}

StateSlice InviteeCollector::snapshot(std::optional<WallTime> fetched, config::NickNamePolicy) const {
  std::vector<StateSlice> slices{[fetched](nlohmann::json& file) {
    file["invitees"] = {{"fetched_at_ns", time_json(fetched)}, {"quotes", nlohmann::json::object()}};
  }};
  for (const auto& p : passes_) slices.push_back(p->snapshot());
  return [slices = std::move(slices)](nlohmann::json& file) {
    for (const auto& s : slices)
      if (s) s(file);
  };
}

std::optional<WallTime> InviteeCollector::restore(const nlohmann::json& file, const RestoreContext& r) {
  const auto invitees = file.find("invitees");
  const auto fetched = invitees == file.end() ? std::nullopt : time_of(*invitees, "fetched_at_ns");
  // A window of a period fetched for good never goes stale; the rest only
  // while the invitee data as a whole is usable.
  const bool fresh = r.usable(fetched);
  for (auto& p : passes_) {
    p->roll(r.now);
    p->restore(file, r, fresh);
  }
  return fresh ? fetched : std::nullopt;
}

std::optional<FirstDeposits> InviteeCollector::first_deposits() const {
  std::map<uint64_t, int64_t> first;
  for (const auto* c : cumulative_) {
    if (!c->book().totals()) return std::nullopt;
    c->book().for_each([&](const InviteeRow& row) {
      if (row.first_deposit_time == kNoTime) return;
      auto [it, added] = first.try_emplace(row.uid, row.first_deposit_time);
      if (!added) it->second = std::min(it->second, row.first_deposit_time);
    });
  }
  return FirstDeposits(first.begin(), first.end());
}

}  // namespace coinw::collect
