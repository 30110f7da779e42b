#pragma once
// What CoinW documents about the endpoints we call (docs/coinw-api.md), in one
// place for the client, the configuration's checks and the simulator.
#include <array>
#include <chrono>
#include <string_view>

namespace coinw::facts {

inline constexpr const char* kDefaultBaseUrl = "https://api.coinw.com";

// §1, §2. The affiliate path really says "patener".
inline constexpr const char* kInviteeAssetsPath = "/api/v3/patener/openapi/v1/partner/invitation/user/assets";
inline constexpr const char* kPrivateSpotPath = "/api/v1/private";
inline constexpr const char* kSubAccountListCommand = "subAccount_list";
// §6: the direct invitees' sign-ups (GET, query) and their daily trading
// volume (POST, a JSON body), under the invitee-assets endpoint's key and signing.
inline constexpr const char* kInviteeListPath = "/api/v3/patener/openapi/v1/partner/invitation/user/list";
inline constexpr const char* kInviteeVolumePath = "/api/v3/patener/openapi/v1/partner/invitation/user/volume/list";
// Both document pageSize up to 1000.
inline constexpr int kFunnelMaxPageSize = 1000;

// §8: the master key's view of its sub-accounts' API keys and movable funds.
inline constexpr const char* kSubAccountApiKeyCommand = "subAccount_apikey";
inline constexpr const char* kTransferAvailableCommand = "subAccount_transferAvailable";
// Every spot command the client may send: each one only reads. CoinW's
// sub-account API also has commands that change things (reset_subAccount_apikey,
// subAccount_transfer); a monitor must never send them, so they are not here,
// and the client cannot name a command outside this list (api/client.cpp).
inline constexpr std::array<std::string_view, 3> kReadOnlySpotCommands{kSubAccountListCommand, kSubAccountApiKeyCommand,
                                                                       kTransferAvailableCommand};

// Documented limits, requests per second in any sliding window of this length (§1, §2, §3).
inline constexpr std::chrono::seconds kLimitWindow{1};
inline constexpr int kInviteeAssetsPerSecond = 5;   // per IP and user
inline constexpr int kSubAccountListPerSecond = 3;  // per user; shared by the three sub-account commands (§8)
inline constexpr int kSpotIpPerSecond = 100;        // all spot endpoints, per IP
inline constexpr int kSpotUserPerSecond = 300;      // all spot endpoints, per user
// The ban after breaking a limit; calling sooner only extends it (§3).
inline constexpr std::chrono::seconds kRateLimitBan{30};
// The larger of the two page-size maxima the invitee docs give (§1).
inline constexpr int kLargestDocumentedPageSize = 1000;

// `code` values (§1, §2, §3).
namespace code {
inline constexpr const char* kFuturesSuccess = "0";
inline constexpr const char* kSpotSuccess = "200";
inline constexpr const char* kRateLimited = "29001";
inline constexpr const char* kAuth = "6000";
inline constexpr const char* kAuthOther = "1003";
inline constexpr const char* kBadSign = "6001";
inline constexpr const char* kPermission = "6003";
inline constexpr const char* kBadQuote = "402";
inline constexpr const char* kMissingParam = "904";
inline constexpr const char* kBadParam = "9016";
inline constexpr const char* kInternal = "500";
inline constexpr const char* kNotFound = "404";
inline constexpr const char* kSpotKey = "10006";
inline constexpr const char* kSpotSign = "10007";
}  // namespace code

// Times are `yyyy-MM-dd HH:mm:ss` in an undocumented zone (§4); see common/timefmt.h.
inline constexpr int kTimeTextLength = 19;
// The volume endpoint's dates: `yyyy-MM-dd` (§6).
inline constexpr int kDateTextLength = 10;
// Real zones lie within 14 hours of UTC.
inline constexpr int kMaxUtcOffsetSeconds = 14 * 3600;

}  // namespace coinw::facts
