#pragma once
// What each sub-account can move out of its funding account, per coin of
// sub_accounts.funds.coins, from "Get Max Transferable Amount": one request per
// sub-account and coin, so a pass walks the sub-account list one pair at a
// time under the sub-account limiter, across as many refreshes as it takes.
// A value changes as soon as its answer arrives; the per-coin sums are taken
// when a pass completes, so they always describe one complete pass. A
// sub-account goes only when two consecutive complete passes lacked it, as an
// invitee does (invitee_book.h).
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "collect/collector.h"
#include "collect/sub_account_collector.h"

namespace coinw::collect {

class FundsCollector final : public Collector {
 public:
  // `list`: the sub-account collector of the same account, which outlives this one.
  FundsCollector(config::SubAccountsConfig config, const SubAccountCollector& list);
  ~FundsCollector() override;

  std::string_view name() const override { return "sub_account_funds"; }
  Lane lane() const override { return Lane::sub_accounts; }
  std::vector<api::Endpoint> endpoints() const override { return {api::Endpoint::sub_account_transfer_available}; }
  std::vector<Pass*> passes() override;
  std::optional<WallTime> full_refresh_time() const override;
  bool drop_stale() override;
  void collect(exposition::FamilySet& out, const RenderContext& r) const override;
  void collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const override;
  size_t rows() const override;
  StateSlice snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const override;
  std::optional<WallTime> restore(const nlohmann::json& file, const RestoreContext& r) override;

 private:
  class FundsPass;
  struct Holding {
    std::string text;  // as CoinW sent it
    double value = 0;
  };
  using Holdings = std::map<uint64_t, std::map<std::string, Holding>>;  // by uid, then coin
  void hold(uint64_t uid, const std::string& coin, const api::TransferAvailable& a);
  // Pass `n` completed over `uids`.
  void complete(uint32_t n, const std::vector<uint64_t>& uids, const Now& at);

  const config::SubAccountsConfig config_;
  std::unique_ptr<FundsPass> pass_;
  mutable std::mutex mu_;  // guards what follows: scrapes read while a refresh writes
  Holdings holdings_;
  std::map<uint64_t, uint32_t> listed_;                // the last pass whose list named the uid
  std::optional<std::map<std::string, double>> sums_;  // by coin, of the last complete pass
  std::optional<WallTime> completed_;
};

}  // namespace coinw::collect
