// The collectors, in the order they render: adding one is one line here.
#include "collect/api_key_collector.h"
#include "collect/collector.h"
#include "collect/funds_collector.h"
#include "collect/invitee_collector.h"
#include "collect/registrations_collector.h"
#include "collect/sub_account_collector.h"
#include "collect/trade_volume_collector.h"

namespace coinw::collect {

std::vector<std::unique_ptr<Collector>> make_collectors(const config::AccountConfig& a, int offset_s) {
  std::vector<std::unique_ptr<Collector>> out;
  const InviteeCollector* invitees = nullptr;
  if (a.invitee_assets.enabled) {
    auto c = std::make_unique<InviteeCollector>(a.name, a.invitee_assets, offset_s);
    invitees = c.get();
    out.push_back(std::move(c));
  }
  if (a.sub_accounts.enabled) {
    auto list = std::make_unique<SubAccountCollector>(a.sub_accounts);
    const SubAccountCollector& subs = *list;
    out.push_back(std::move(list));
    // Both join to or walk the list: they render after it, in the same lane.
    if (a.sub_accounts.api_keys.enabled) out.push_back(std::make_unique<ApiKeyCollector>(a.sub_accounts, subs));
    if (!a.sub_accounts.funds.coins.empty()) out.push_back(std::make_unique<FundsCollector>(a.sub_accounts, subs));
  }
  // The funnel; first deposits come from the invitee collector, which lives
  // in the same list, as long as these.
  if (a.invitee_registrations.enabled) {
    FirstDepositSource deposits;
    if (invitees) deposits = [invitees] { return invitees->first_deposits(); };
    out.push_back(std::make_unique<RegistrationsCollector>(a.invitee_registrations, a.invitee_assets, offset_s,
                                                           std::move(deposits)));
  }
  if (a.invitee_trade_volume.enabled)
    out.push_back(std::make_unique<TradeVolumeCollector>(a.invitee_trade_volume, a.invitee_assets, offset_s));
  return out;
}

}  // namespace coinw::collect
