#pragma once
// CoinW's time format, `yyyy-MM-dd HH:mm:ss` in a zone it does not document
// (docs/coinw-api.md §4), and the UTC offsets that name such a zone. One
// implementation for the client, the configuration and the simulator.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coinw {

// "UTC", "Z", or "+HH:MM" / "-HH:MM" up to 14 hours; seconds east of UTC.
std::optional<int> parse_utc_offset(std::string_view text);

// Exactly `yyyy-MM-dd HH:mm:ss`, a real calendar date, read in the zone
// `offset_s` east of UTC; unix seconds.
std::optional<int64_t> parse_coinw_time(std::string_view text, int offset_s);

// Unix seconds as `yyyy-MM-dd HH:mm:ss` in the zone `offset_s` east of UTC.
std::string format_coinw_time(int64_t epoch_s, int offset_s);

// Calendar days, as the volume endpoint's `yyyy-MM-dd` names them: days since
// 1970-01-01, a date without a zone. A local day of unix seconds, and the unix
// seconds of a local day's first second, in the zone `offset_s` east of UTC.
std::optional<int32_t> parse_coinw_date(std::string_view text);
std::string format_coinw_date(int32_t day);
int32_t local_day(int64_t epoch_s, int offset_s);
int64_t day_start(int32_t day, int offset_s);

// An HTTP Date header in the IMF-fixdate form every current server sends
// ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7); unix seconds. The two
// obsolete forms are not read: a Date is only a hint, and then none is taken.
std::optional<int64_t> parse_http_date(std::string_view text);
std::string format_http_date(int64_t epoch_s);

}  // namespace coinw
