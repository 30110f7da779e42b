#pragma once
// The master account's sub-accounts, from "Get Sub-Account List": one request
// every min_refresh_interval; their three flags, their identity (nickName
// masked by policy), how often each flag changed, and the declared state.
#include <memory>
#include <mutex>
#include <vector>

#include "collect/collector.h"
#include "collect/poll_pass.h"
#include "collect/sub_account_changes.h"

namespace coinw::collect {

class SubAccountCollector final : public Collector {
 public:
  explicit SubAccountCollector(config::SubAccountsConfig config);
  ~SubAccountCollector() override;

  std::string_view name() const override { return "sub_accounts"; }
  Lane lane() const override { return Lane::sub_accounts; }
  std::vector<api::Endpoint> endpoints() const override { return {api::Endpoint::sub_account_list}; }
  std::vector<Pass*> passes() override;
  std::optional<WallTime> full_refresh_time() const override;
  bool light() const override { return true; }
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const RenderContext& r) const override;
  size_t rows() const override;
  StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const override;
  std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) override;

  // The last list, for the collectors of the same lane that walk it (funds)
  // or join to it (API keys); null until one came.
  using Rows = std::shared_ptr<const std::vector<api::SubAccount>>;
  Rows current() const;

 private:
  using ListPass = PollPass<api::SubAccountList>;
  void take(std::vector<api::SubAccount> rows, const Now& at);

  const config::SubAccountsConfig config_;
  std::unique_ptr<ListPass> pass_;
  SubAccountChanges changes_;
  mutable std::mutex mu_;  // guards what follows: scrapes read while a refresh writes
  Rows rows_;
  std::optional<WallTime> fetched_;
};

// coinw_sub_account_pass_requests_total and _last_complete_timestamp_seconds
// of a pass of the sub-account lane (api_keys, funds).
void sub_account_pass_progress(exposition::FamilySet& out, const exposition::Labels& account, const Pass& pass);

}  // namespace coinw::collect
