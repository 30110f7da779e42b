#pragma once
// Scrape-time failures are values: every failed call ends in exactly one of a
// small fixed set of reasons, which the exporter pre-initialises as metric labels.
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace coinw::api {

enum class FailureReason {
  rate_limited,
  auth,
  permission,
  bad_request,
  server_error,
  timeout,
  network,
  tls,
  proxy,  // the configured proxy refused, failed or could not be reached
  malformed_response,
  api_error,          // a non-success code we do not recognise
  unexpected_format,  // too many rows CoinW sent in a shape we cannot fully read
};

inline constexpr std::array kAllFailureReasons = {
    FailureReason::rate_limited, FailureReason::auth,
    FailureReason::permission,   FailureReason::bad_request,
    FailureReason::server_error, FailureReason::timeout,
    FailureReason::network,      FailureReason::tls,
    FailureReason::proxy,        FailureReason::malformed_response,
    FailureReason::api_error,    FailureReason::unexpected_format,
};

std::string_view to_string(FailureReason r);

struct ApiError {
  FailureReason reason;
  std::string message;  // never contains credentials
  std::string code;     // CoinW's code, when the body had one
  int http_status = 0;
  std::optional<std::chrono::seconds> retry_after;
  bool sent = true;  // false: refused before sending (rate budget or pause)
  // The request failed at once on a kept-alive connection, with no answer: the
  // server had closed it (an idle timeout) as the request went out.
  bool stale_connection = false;
};

// Maps a CoinW `code` (already known not to mean success) to a reason.
FailureReason classify_code(std::string_view code);
// Maps an HTTP status whose body carried no usable CoinW code.
FailureReason classify_http_status(int status);

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(ApiError error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  ApiError& error() { return std::get<1>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace coinw::api
