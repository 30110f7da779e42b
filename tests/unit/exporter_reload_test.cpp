// Reloads in virtual time, through the exporter and the transport seam.
#include <gtest/gtest.h>

#include "exporter/exporter.h"
#include "support/fake_clock.h"
#include "support/fake_coinw.h"

namespace coinw::exporter {
namespace {

using namespace std::chrono_literals;

config::Config one_account(int invitee_assets_per_second) {
  config::Config c;
  c.global.rate_limits.invitee_assets_per_second = invitee_assets_per_second;
  config::AccountConfig a;
  a.name = "main";
  a.api_key = "AK-0123456789";
  a.secret_key = "SK-0123456789";
  a.invitee_assets.page_size = 1;
  a.sub_accounts.enabled = false;
  c.accounts.push_back(a);
  return c;
}

// Issue 9: a reload that lowers rate_limits used to keep the old limiter.
TEST(ExporterReload, NewRateLimitsTakeEffectAtOnce) {
  testing::FakeClock clock;
  testing::FakeCoinw coinw(clock, 20, 0);
  Exporter exp(clock, [&](const api::TransportOptions&) { return coinw.transport(); });
  exp.apply(one_account(5));
  exp.metrics({});
  const auto before = coinw.sent();
  ASSERT_EQ(before.size(), 21u) << "one pass of 20 full pages and the empty one within the default 10 s budget";
  exp.apply(one_account(1));
  exp.metrics({});
  const auto all = coinw.sent();
  ASSERT_GT(all.size(), before.size() + 1);
  EXPECT_GE(all[before.size()].at - before.back().at, 1s) << "requests sent before the reload still count";
  for (size_t i = before.size() + 1; i < all.size(); ++i) EXPECT_GE(all[i].at - all[i - 1].at, 1s) << i;
}

}  // namespace
}  // namespace coinw::exporter
