#pragma once
// The direct invitees' sign-ups, from "Get Directly Invited User List"
// (docs/coinw-api.md §6). A sign-up never changes: the list is walked once
// from `since`, and afterwards only from the start of the last complete walk,
// less a day; the rows are kept in the state file. Counts sign-ups per window
// and, from the invitee-assets collector's cumulative rows (firstDepositTime,
// no extra request), first deposits per window and how many of a window's
// sign-ups have deposited.
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "collect/collector.h"
#include "collect/invitee_collector.h"
#include "collect/window_period.h"

namespace coinw::collect {

using FirstDepositSource = std::function<std::optional<FirstDeposits>()>;

class RegistrationsCollector final : public Collector {
 public:
  // `invitees`: the account's windows and per_invitee_series. `deposits`:
  // empty without the invitee-assets collector.
  RegistrationsCollector(config::RegistrationsConfig config, const config::InviteeAssetsConfig& invitees, int offset_s,
                         FirstDepositSource deposits);
  ~RegistrationsCollector() override;

  std::string_view name() const override { return "invitee_registrations"; }
  Lane lane() const override { return Lane::affiliate; }
  std::vector<api::Endpoint> endpoints() const override { return {api::Endpoint::invitee_list}; }
  std::vector<Pass*> passes() override;
  std::optional<WallTime> full_refresh_time() const override;
  // A sign-up stays a sign-up: nothing is ever dropped.
  bool drop_stale() override { return false; }
  void collect(exposition::FamilySet& out, const RenderContext& r) const override;
  void collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const override;
  size_t rows() const override;
  StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const override;
  std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) override;

 private:
  class ListPass;
  friend class ListPass;
  void add(const std::vector<api::Registration>& rows);
  void walk_complete(int64_t walk_start, WallTime at);
  bool roll(const Now& now);  // true when a window's period moved

  const config::RegistrationsConfig config_;
  const std::vector<config::WindowConfig> windows_;
  const config::InviteeAssetsConfig series_;  // per_invitee_series, top_k, watch
  const int offset_s_;
  const FirstDepositSource deposits_;
  std::unique_ptr<ListPass> pass_;
  mutable std::mutex mu_;                   // guards what follows: scrapes read while a refresh writes
  std::map<uint64_t, int64_t> registered_;  // uid -> unix seconds (kUnknownTime when unreadable)
  std::optional<int64_t> covered_to_;       // a complete walk covered every sign-up before this
  bool split_ = false;                      // CoinW refused a range as too long: walk month by month
  std::optional<WallTime> completed_;
  std::vector<Period> periods_;  // of windows_, as of the last roll
};

}  // namespace coinw::collect
