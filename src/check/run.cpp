#include "check/run.h"

#include "check/probes.h"
#include "collect/client_settings.h"
#include "ratelimit/rate_gate.h"

namespace coinw::check {
namespace {

// One request per `spacing` on each endpoint whatever the configuration says:
// the configured limits are at least 1 per second (0 there means 1).
api::ClientOptions paced(api::ClientOptions o, Duration spacing) {
  auto& l = o.limits;
  l.invitee_assets_per_s = 1;
  l.sub_account_list_per_s = 1;
  l.futures_ip_per_s = l.spot_ip_per_s = l.spot_user_per_s = 0;  // the endpoint limiters are stricter
  l.window = spacing;
  return o;
}

AccountReport check_account(const config::GlobalConfig& global, const config::AccountConfig& account,
                            ratelimit::RateGate& gate, Clock& clock, const CheckOptions& options) {
  const auto settings = collect::derive_client_settings(global, account);
  auto transport = api::make_http_transport(settings.transport);
  Recorder recorder(*transport);
  api::Client client({account.api_key, account.secret_key}, recorder, gate, paced(settings.client, options.spacing),
                     &recorder);
  const Duration budget = 2 * options.spacing + settings.transport.connect_timeout + settings.transport.read_timeout +
                          std::chrono::seconds(5);
  Session session{global, account, client, recorder, clock, budget, {}, {}, {}, {}, {}};
  for (const auto& probe : kProbes)
    if (applies(probe, account)) probe.run(session);
  return {account.name, static_cast<int>(recorder.sent()), std::move(session.findings)};
}

}  // namespace

std::vector<AccountReport> check_accounts(const config::Config& config, Clock& clock, const CheckOptions& options) {
  ratelimit::RateGate gate(clock);  // shared, so accounts of one user share its limiters
  std::vector<AccountReport> out;
  int sent = 0;
  for (const auto& account : config.accounts) {
    out.push_back(check_account(config.global, account, gate, clock, options));
    sent += out.back().requests;
  }
  if (sent) clock.sleep_until(clock.now() + options.settle);
  return out;
}

}  // namespace coinw::check
