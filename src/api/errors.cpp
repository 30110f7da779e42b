#include "api/errors.h"

#include <initializer_list>

#include "common/coinw_facts.h"

namespace coinw::api {

std::string_view to_string(FailureReason r) {
  switch (r) {
    case FailureReason::rate_limited: return "rate_limited";
    case FailureReason::auth: return "auth";
    case FailureReason::permission: return "permission";
    case FailureReason::bad_request: return "bad_request";
    case FailureReason::server_error: return "server_error";
    case FailureReason::timeout: return "timeout";
    case FailureReason::network: return "network";
    case FailureReason::tls: return "tls";
    case FailureReason::proxy: return "proxy";
    case FailureReason::malformed_response: return "malformed_response";
    case FailureReason::api_error: return "api_error";
    case FailureReason::unexpected_format: return "unexpected_format";
  }
  return "api_error";
}

// CoinW's codes (docs/coinw-api.md §3), and HTTP statuses sent as codes.
FailureReason classify_code(std::string_view code) {
  namespace c = facts::code;
  auto any = [&](std::initializer_list<std::string_view> codes) {
    for (auto k : codes)
      if (code == k) return true;
    return false;
  };
  if (any({c::kRateLimited, "429"})) return FailureReason::rate_limited;
  if (any({c::kAuth, c::kAuthOther, c::kBadSign, c::kSpotKey, c::kSpotSign, "401"})) return FailureReason::auth;
  if (any({c::kPermission, "403"})) return FailureReason::permission;
  if (any({c::kBadQuote, c::kMissingParam, c::kBadParam, c::kNotFound, "400"})) return FailureReason::bad_request;
  if (any({c::kInternal, "502", "503", "504"})) return FailureReason::server_error;
  return FailureReason::api_error;
}

FailureReason classify_http_status(int status) {
  if (status == 429) return FailureReason::rate_limited;
  if (status == 407) return FailureReason::proxy;  // Proxy Authentication Required: never CoinW's
  if (status == 401) return FailureReason::auth;
  if (status == 403) return FailureReason::permission;
  if (status >= 500) return FailureReason::server_error;
  if (status >= 400) return FailureReason::bad_request;
  return FailureReason::malformed_response;
}

}  // namespace coinw::api
