#pragma once
// The affiliate's direct invitees, from "Get Direct Invitee User Asset": per
// quote, the cumulative list (cumulative_pass.h), the watch list
// (watch_pass.h) and the configured windows (window_pass.h). Each pass owns
// its data; this collector holds the list of them.
#include <memory>
#include <vector>

#include "collect/collector.h"
#include "collect/cumulative_pass.h"
#include "collect/invitee_pass.h"

namespace coinw::collect {

// The earliest firstDepositTime of each invitee over every quote, by uid.
using FirstDeposits = std::vector<std::pair<uint64_t, int64_t>>;

class InviteeCollector final : public Collector {
 public:
  InviteeCollector(std::string account, config::InviteeAssetsConfig config, int offset_s);

  std::string_view name() const override { return "invitee_assets"; }
  Lane lane() const override { return Lane::affiliate; }
  std::vector<api::Endpoint> endpoints() const override { return {api::Endpoint::invitee_assets}; }
  std::vector<Pass*> passes() override;
  // As of its oldest complete quote: none until every quote has one.
  std::optional<WallTime> full_refresh_time() const override;
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const RenderContext& r) const override;
  void collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const override;
  size_t rows() const override;
  StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const override;
  std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) override;
  // For the funnel (registrations_collector.h): none until every quote has a
  // complete pass.
  std::optional<FirstDeposits> first_deposits() const;

 private:
  const config::InviteeAssetsConfig config_;
  std::vector<std::unique_ptr<InviteePass>> passes_;
  std::vector<const CumulativePass*> cumulative_;  // one per quote, among passes_
};

}  // namespace coinw::collect
