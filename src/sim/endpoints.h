#pragma once
// Bodies of the simulated CoinW endpoints, independent of HTTP: parameter
// checks, paging and JSON rendering (including quirks mode).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "api/url.h"
#include "common/coinw_facts.h"
#include "sim/dataset.h"
#include "sim/options.h"

namespace coinw::sim {

// The codes the simulator answers with (docs/coinw-api.md §3).
inline constexpr const char* kAuthError = facts::code::kAuth;
inline constexpr const char* kBadSign = facts::code::kBadSign;
inline constexpr const char* kBadParam = facts::code::kBadParam;
inline constexpr const char* kBadQuote = facts::code::kBadQuote;
inline constexpr const char* kRateLimited = facts::code::kRateLimited;
inline constexpr const char* kSpotKeyError = facts::code::kSpotKey;
inline constexpr const char* kSpotSignError = facts::code::kSpotSign;
inline constexpr const char* kInternal = facts::code::kInternal;
inline constexpr const char* kPermission = facts::code::kPermission;

// A non-negative decimal of at most `max_digits` digits, nothing else.
std::optional<int64_t> parse_digits(std::string_view s, size_t max_digits);
// The first value of `name` in the query, or nullptr.
const std::string* find_param(const api::QueryParams& params, std::string_view name);

struct PageSlice {
  size_t begin = 0, end = 0;
};
// Rows [begin, end) of page `page_no` (1-based); empty past the last page.
PageSlice page_slice(size_t total, int64_t page_no, int64_t page_size);

struct InviteeQuery {
  std::optional<int64_t> uid;
  std::optional<int64_t> start, end;  // epoch seconds, inclusive
  Quote quote = Quote::usdt;
  int64_t page_no = 1;
  int64_t page_size = 20;  // already capped
};
struct ParamError {
  std::string code, msg;
};
// First occurrence of each parameter wins; unknown parameters are ignored.
std::variant<InviteeQuery, ParamError> parse_invitee_query(const api::QueryParams& params, int default_page_size,
                                                           int page_size_cap, int offset_s);

// `variant` picks the quirks (per request for the envelope; rows use their uid),
// so a repeated request gets the same bytes.
struct Rendering {
  int offset_s = 0;
  bool quirks = false;
  uint64_t variant = 0;
  Drift drift{};                 // what to render differently from the docs
  bool formats_changed = false;  // Drift::formats_after has run out
  bool empty = false;            // Drift::empty_answers: this answer has no rows
};
std::string invitee_assets_body(const Dataset& data, const InviteeQuery& q, const Rendering& r);
std::string sub_account_list_body(const Dataset& data, const Rendering& r);
std::string sub_account_apikey_body(const Dataset& data, const Rendering& r);

// subAccount_transferAvailable: both parameters required.
struct TransferQuery {
  int64_t sub_uid = 0;
  std::string coin;
};
std::variant<TransferQuery, ParamError> parse_transfer_query(const api::QueryParams& params);
// The body, or an error for a uid that is not one of the sub-accounts (the code
// CoinW uses for that is undocumented: docs/coinw-api.md §8).
std::variant<std::string, ParamError> transfer_available_body(const Dataset& data, const TransferQuery& q,
                                                              const Rendering& r);
std::string futures_error_body(std::string_view code, std::string_view msg, const Rendering& r);
std::string spot_error_body(std::string_view code, std::string_view msg, const Rendering& r);

// The affiliate success envelope around data {total, list}: total is `matched`
// plus Drift::total_skew (a string with Drift::total_as_string); shared by the
// invitee-assets and funnel endpoints (funnel.h).
std::string futures_page_body(nlohmann::json list, size_t matched, const Rendering& r);
// In quirks mode, which representations a row keyed `key` uses, as bits.
inline constexpr uint64_t kQuirkStringUid = 1, kQuirkNumericAmount = 2;
uint64_t row_quirks(uint64_t key, const Rendering& r);

uint64_t hash_text(std::string_view text);

}  // namespace coinw::sim
