#pragma once
// Bodies of the two simulated funnel endpoints (docs/coinw-api.md §6),
// independent of HTTP as endpoints.h: "Get Directly Invited User List" (GET,
// sign-ups filtered on registration time) and "Get Invited Users Trading
// Volume" (POST, a JSON body; one row per invitee and day).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "api/url.h"
#include "sim/dataset.h"
#include "sim/endpoints.h"

namespace coinw::sim {

// Both document pageSize 100 by default, at most 1000.
inline constexpr int kFunnelDefaultPageSize = 100;

struct RegistrationQuery {
  int64_t start = 0, end = 0;  // epoch seconds, inclusive
  int64_t page_no = 1;
  int64_t page_size = kFunnelDefaultPageSize;  // already capped
};
// Without startTime/endTime, the current month of `now` in the zone `offset_s`,
// as documented. A range longer than `max_range_days` (> 0) is refused with
// 9016: CoinW's longest range is unknown, and a client must cope with one.
std::variant<RegistrationQuery, ParamError> parse_registration_query(const api::QueryParams& params, int offset_s,
                                                                     int64_t now, int max_range_days);

struct VolumeQuery {
  int32_t first_day = 0, last_day = 0;  // days since 1970-01-01, inclusive
  int32_t today = 0;                    // of `now`, for Drift::volume_closed_days_only
  std::optional<int64_t> uid;
  int64_t page_no = 1;
  int64_t page_size = kFunnelDefaultPageSize;
};
// The POST body; without dates, the past 30 days up to `now`'s day. Numbers may
// come as JSON numbers or strings of digits; anything else is a 9016. More days
// than `max_range_days` (> 0) are refused with 9016, as for the sign-up list.
std::variant<VolumeQuery, ParamError> parse_volume_body(std::string_view body, int offset_s, int64_t now,
                                                        int max_range_days = 0);

// Newest sign-up first, then by uid; rows as data.list, with data.total.
std::string registration_list_body(const Dataset& data, const RegistrationQuery& q, const Rendering& r);
// Newest day first, then by uid.
std::string volume_list_body(const Dataset& data, const VolumeQuery& q, const Rendering& r);

}  // namespace coinw::sim
