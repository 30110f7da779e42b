// State files come from disk, where anything may have happened to them (an
// edit, a truncation, another program): any bytes must restore or be refused
// with an exception the account catches, never crash, and whatever restored
// must render.
#include <cstdint>
#include <exception>
#include <string_view>

#include "collect/collector.h"
#include "collect/state_codec.h"
#include "fuzz_check.h"

using namespace coinw;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto file = collect::decode_state(text, "main", error);
  fuzz::check(file.has_value() || !error.empty(), "a refused file says why");
  if (!file) return 0;
  config::AccountConfig a;
  a.name = "main";
  a.invitee_assets.quotes = {"usdt", "usdc"};
  a.invitee_assets.windows = {{"today", config::WindowKind::today, 0, 0},
                              {"previous_month", config::WindowKind::previous_month, 0, 0}};
  a.invitee_assets.watch.uids = {10, 12};
  a.invitee_registrations.enabled = true;
  a.invitee_trade_volume.enabled = true;
  // The seeds' times, so that their data is usable.
  const collect::RestoreContext r{
      collect::Now{TimePoint{} + std::chrono::hours(1000), WallTime(std::chrono::seconds(1'764'500'060))},
      std::chrono::hours(24 * 365)};
  exposition::FamilySet out;
  for (auto& c : collect::make_collectors(a, 0)) {
    try {
      c->restore(*file, r);
    } catch (const std::exception&) {
      continue;  // counted and logged by the account
    }
    c->collect(out, collect::RenderContext{{{"account", "main"}}, true, config::NickNamePolicy::masked});
  }
  (void)out.render();
  return 0;
}
