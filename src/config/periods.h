#pragma once
// invitee_assets.windows and invitee_assets.watch of an account. Internal to config.
#include "config/config.h"
#include "config/walker.h"

namespace coinw::config::detail {

// Each item a calendar word or {name, start, end}; fixed times are read in the
// zone `offset_s`. Records every problem and keeps the good windows.
void invitee_windows(Walker& w, const Map& invitee_assets, int offset_s, std::vector<WindowConfig>& out);

// {uids: [...], min_refresh_interval}. The list's steady cost must stay within
// half of the invitee endpoint's rate, so full passes keep the other half.
void invitee_watch(Walker& w, const Map& invitee_assets, size_t quotes, int invitee_rate_per_s, WatchConfig& out);

}  // namespace coinw::config::detail
