// The collectors, in the order they render: adding one is one line here.
#include "collect/api_key_collector.h"
#include "collect/collector.h"
#include "collect/funds_collector.h"
#include "collect/invitee_collector.h"
#include "collect/sub_account_collector.h"

namespace coinw::collect {

std::vector<std::unique_ptr<Collector>> make_collectors(const config::AccountConfig& a, int offset_s) {
  std::vector<std::unique_ptr<Collector>> out;
  if (a.invitee_assets.enabled) out.push_back(std::make_unique<InviteeCollector>(a.name, a.invitee_assets, offset_s));
  if (a.sub_accounts.enabled) {
    auto list = std::make_unique<SubAccountCollector>(a.sub_accounts);
    const SubAccountCollector& subs = *list;
    out.push_back(std::move(list));
    // Both join to or walk the list: they render after it, in the same lane.
    if (a.sub_accounts.api_keys.enabled) out.push_back(std::make_unique<ApiKeyCollector>(a.sub_accounts, subs));
    if (!a.sub_accounts.funds.coins.empty()) out.push_back(std::make_unique<FundsCollector>(a.sub_accounts, subs));
  }
  return out;
}

}  // namespace coinw::collect
