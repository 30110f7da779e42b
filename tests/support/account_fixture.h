#pragma once
// The ground of the collector tests that run an account in virtual time: the
// fake clock and its rate gate, a refresh, and a scrape of what the account
// serves. Days pass in these tests, so data must not go stale meanwhile.
#include <chrono>

#include "collect/account.h"
#include "support/exposition.h"
#include "support/fake_clock.h"

namespace coinw::testing {

class AccountFixture {
 protected:
  // A refresh that ended at the very instant a scrape arrives serves it, so
  // each refresh here starts a millisecond later.
  void refresh(collect::AccountCollector& c, Duration budget = std::chrono::hours(1)) {
    clock_.advance(std::chrono::milliseconds(1));
    c.refresh(clock_.now() + budget, settings_);
  }
  Series scrape(const collect::AccountCollector& c) const {
    exposition::FamilySet out;
    c.collect_data(out, c.data_key(settings_));
    c.collect_health(out);
    return parse_exposition(out.render());
  }

  FakeClock clock_;
  ratelimit::RateGate gate_{clock_};
  collect::ExposeSettings settings_{config::NickNamePolicy::masked, std::chrono::hours(24 * 90)};
};

}  // namespace coinw::testing
