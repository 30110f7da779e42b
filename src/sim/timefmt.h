#pragma once
// CoinW exchanges times as `yyyy-MM-dd HH:mm:ss` in an undocumented zone; the
// simulator makes the zone a setting so clients can be tested against any of them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coinw::sim {

// "+08:00" / "-05:30" / "Z" to seconds east of UTC; nullopt when malformed.
std::optional<int> parse_utc_offset(std::string_view text);

// Epoch seconds to `yyyy-MM-dd HH:mm:ss` as seen in the zone `offset_s` east of UTC.
std::string format_time(int64_t epoch_s, int offset_s);

// Strict inverse of format_time: exactly 19 characters, real calendar date.
std::optional<int64_t> parse_time(std::string_view text, int offset_s);

}  // namespace coinw::sim
