// The collectors, in the order they render: adding one is one line here.
#include "collect/collector.h"
#include "collect/invitee_collector.h"
#include "collect/sub_account_collector.h"

namespace coinw::collect {

std::vector<std::unique_ptr<Collector>> make_collectors(const config::AccountConfig& a, int offset_s) {
  std::vector<std::unique_ptr<Collector>> out;
  if (a.invitee_assets.enabled) out.push_back(std::make_unique<InviteeCollector>(a.name, a.invitee_assets, offset_s));
  if (a.sub_accounts.enabled) out.push_back(std::make_unique<SubAccountCollector>(a.sub_accounts));
  return out;
}

}  // namespace coinw::collect
