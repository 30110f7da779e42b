#pragma once
// --api.check: the probes of probes.h for every configured account, through a
// client of its own whose limiters allow one request per `spacing` on each
// endpoint: far under CoinW's documented limits (5 and 3 per second).
#include <vector>

#include "check/finding.h"
#include "common/clock.h"
#include "common/coinw_facts.h"
#include "config/config.h"

namespace coinw::check {

struct CheckOptions {
  Duration spacing = std::chrono::seconds(1);  // tests shorten it, staying under the simulator's limits
  // Waited after the last request, so that an exporter started right after the
  // check (another process, other limiters) finds CoinW's window empty.
  Duration settle = facts::kLimitWindow + std::chrono::milliseconds(100);
};

std::vector<AccountReport> check_accounts(const config::Config& config, Clock& clock, const CheckOptions& options = {});

}  // namespace coinw::check
