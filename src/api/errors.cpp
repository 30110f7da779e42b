#include "api/errors.h"

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
    case FailureReason::malformed_response: return "malformed_response";
    case FailureReason::api_error: return "api_error";
    case FailureReason::unexpected_format: return "unexpected_format";
  }
  return "api_error";
}

FailureReason classify_code(std::string_view code) {
  if (code == "29001" || code == "429") return FailureReason::rate_limited;
  if (code == "6000" || code == "1003" || code == "6001" || code == "10006" || code == "10007" ||
      code == "401")
    return FailureReason::auth;
  if (code == "6003" || code == "403") return FailureReason::permission;
  if (code == "402" || code == "904" || code == "9016" || code == "404" || code == "400")
    return FailureReason::bad_request;
  if (code == "500" || code == "502" || code == "503" || code == "504")
    return FailureReason::server_error;
  return FailureReason::api_error;
}

FailureReason classify_http_status(int status) {
  if (status == 429) return FailureReason::rate_limited;
  if (status == 401) return FailureReason::auth;
  if (status == 403) return FailureReason::permission;
  if (status >= 500) return FailureReason::server_error;
  if (status >= 400) return FailureReason::bad_request;
  return FailureReason::malformed_response;
}

}  // namespace coinw::api
