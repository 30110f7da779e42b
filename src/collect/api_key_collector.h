#pragma once
// The sub-accounts' API keys, from "Get Sub-Account API Keys": one request
// every sub_accounts.api_keys.min_refresh_interval; per key its flags and
// creation time, keys per sub-account (joined to the uid through userCode),
// how often keys appeared, went or changed, and the declared expectations.
#include <memory>
#include <mutex>

#include "collect/api_key_inventory.h"
#include "collect/collector.h"
#include "collect/poll_pass.h"
#include "collect/sub_account_collector.h"

namespace coinw::collect {

class ApiKeyCollector final : public Collector {
 public:
  // `list`: the sub-account collector of the same account, which outlives this one.
  ApiKeyCollector(config::SubAccountsConfig config, const SubAccountCollector& list);

  std::string_view name() const override { return "sub_account_api_keys"; }
  Lane lane() const override { return Lane::sub_accounts; }
  std::vector<api::Endpoint> endpoints() const override { return {api::Endpoint::sub_account_apikey}; }
  std::vector<Pass*> passes() override { return {&pass_}; }
  std::optional<WallTime> full_refresh_time() const override;
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const RenderContext& r) const override;
  void collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const override;
  size_t rows() const override;
  StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const override;
  std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) override;

 private:
  void take(api::SubAccountApiKeys answer, const Now& at);

  const config::SubAccountsConfig config_;
  const SubAccountCollector& list_;
  PollPass<api::SubAccountApiKeys> pass_;
  ApiKeyInventory inventory_;
  mutable std::mutex mu_;
  std::optional<WallTime> fetched_;
};

}  // namespace coinw::collect
