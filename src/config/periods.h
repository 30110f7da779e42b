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

// invitee_registrations and invitee_trade_volume (funnel.cpp). The volume is
// summed over whole days, so while it is enabled every fixed window must start
// and end on a day boundary of `offset_s`.
void funnel(Walker& w, const Map& account, int offset_s, const std::vector<WindowConfig>& windows,
            RegistrationsConfig& registrations, TradeVolumeConfig& volume);

}  // namespace coinw::config::detail
