#pragma once
// The signed CoinW endpoints, each call within its rate limits.
#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "api/parse.h"
#include "api/transport.h"
#include "common/clock.h"
#include "common/coinw_facts.h"
#include "ratelimit/rate_gate.h"

namespace coinw::api {

// In the order of kEndpoints.
enum class Endpoint {
  invitee_assets,
  sub_account_list,
  invitee_list,
  invitee_volume,
  sub_account_apikey,
  sub_account_transfer_available,
};

// How CoinW signs and limits an endpoint. The affiliate endpoints sign with
// headers (futures scheme) and share the key's invitee limiter; the spot
// sub-account endpoints sign in the query (MD5) and share the sub-account
// limiter and the spot limits (docs/coinw-api.md).
enum class Family { affiliate, spot };

struct EndpointInfo {
  Endpoint endpoint;
  std::string_view name;  // the `endpoint` label
  Family family;
  std::span<const std::string_view> fields;  // of its rows, as CoinW names them
  std::string_view command = {};             // spot: the `command`, one of facts::kReadOnlySpotCommands
};
inline constexpr std::array kEndpoints{
    EndpointInfo{Endpoint::invitee_assets, "invitee_assets", Family::affiliate, kInviteeFields},
    EndpointInfo{Endpoint::sub_account_list, "sub_account_list", Family::spot, kSubAccountFields,
                 facts::kSubAccountListCommand},
    // The funnel (docs/coinw-api.md §6): no documented limit of their own, so
    // they share the invitee limiter, never more than 5/s for the three.
    EndpointInfo{Endpoint::invitee_list, "invitee_list", Family::affiliate, kRegistrationFields},
    EndpointInfo{Endpoint::invitee_volume, "invitee_volume", Family::affiliate, kVolumeFields},
    EndpointInfo{Endpoint::sub_account_apikey, "sub_account_apikey", Family::spot, kApiKeyFields,
                 facts::kSubAccountApiKeyCommand},
    EndpointInfo{Endpoint::sub_account_transfer_available, "sub_account_transfer_available", Family::spot,
                 kTransferAvailableFields, facts::kTransferAvailableCommand},
};
constexpr const EndpointInfo& info(Endpoint e) { return kEndpoints[static_cast<size_t>(e)]; }
constexpr std::string_view to_string(Endpoint e) { return info(e).name; }

struct Credentials {
  std::string api_key;
  std::string secret_key;
};

// Requests per second (docs/coinw-api.md §1, §2); 0 switches one off.
struct RateLimits {
  int invitee_assets_per_s = facts::kInviteeAssetsPerSecond;
  int futures_ip_per_s = 0;  // the global futures limit is not documented
  int sub_account_list_per_s = facts::kSubAccountListPerSecond;
  int spot_ip_per_s = facts::kSpotIpPerSecond;
  int spot_user_per_s = facts::kSpotUserPerSecond;
  Duration margin = std::chrono::milliseconds(20);
  // The window the per-second counts hold in: CoinW's second, or longer for
  // slower pacing (--api.check spaces its requests with one per window).
  Duration window = facts::kLimitWindow;
  std::chrono::seconds pause = facts::kRateLimitBan;  // after 29001 / HTTP 429, unless Retry-After says longer
  bool operator==(const RateLimits&) const = default;
};

struct ClientOptions {
  RateLimits limits;
  int time_zone_offset_seconds = 0;  // of CoinW's yyyy-MM-dd HH:mm:ss strings
  // CoinW limits per user. Clients with the same `user` share the per-user
  // limiters whatever their keys; without one, the API key stands for the user.
  std::string user;
  bool operator==(const ClientOptions&) const = default;
};

struct InviteeQuery {
  std::string quote = "usdt";
  int page_no = 1;
  int page_size = 100;
  std::optional<uint64_t> uid;
  std::optional<std::string> start_time, end_time;  // yyyy-MM-dd HH:mm:ss
};

// Sign-ups registered within [start_time, end_time] (yyyy-MM-dd HH:mm:ss, both
// always sent: without them CoinW answers the current month only).
struct RegistrationQuery {
  int page_no = 1;
  int page_size = facts::kFunnelMaxPageSize;
  std::string start_time, end_time;
};

// Volume per invitee and day for the days [first_day, last_day] (days since
// 1970-01-01, sent as yyyy-MM-dd).
struct VolumeQuery {
  int page_no = 1;
  int page_size = facts::kFunnelMaxPageSize;
  int32_t first_day = 0, last_day = 0;
};
// The JSON body sent for `q`, byte for byte what is signed: compact, keys in
// byte order, numbers as JSON numbers (docs/coinw-api.md §6).
std::string volume_request_body(const VolumeQuery& q);

// What the exporter counts; every method is called on the calling thread.
class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  virtual void on_limiter_wait(Endpoint, Duration) {}
  // A request that was sent; `failure` empty when it succeeded.
  virtual void on_request(Endpoint, Duration latency, const std::optional<FailureReason>& failure) = 0;
  virtual void on_invalid_rows(Endpoint, size_t) {}
  // Of every answer that parsed, whether or not it was then refused as drifted.
  virtual void on_format(Endpoint, const FormatReport&) {}
  virtual void on_pause(Endpoint, std::chrono::seconds) {}
  // CoinW's clock less ours, from an answer's Date header: whole seconds, so
  // good to about a second plus half the latency. Of every answer, refusals too.
  virtual void on_clock_skew(Endpoint, double /*seconds*/) {}
  // CoinW accepted the percent-encoded query after refusing the raw one's
  // signature: from now on this client signs it that way. Told once.
  virtual void on_signature_fallback(Endpoint) {}
};

class Client {
 public:
  Client(Credentials credentials, Transport& transport, ratelimit::RateGate& gate, ClientOptions options,
         ClientObserver* observer = nullptr);

  // Both refuse without sending (ApiError::sent == false) when the limits allow
  // no request before `deadline`, or while the endpoint is paused.
  //
  // Our reading of the signing rule (raw values) is unconfirmed for values that
  // percent-encoding changes (the times). When such a request gets a signature
  // error while plain ones have succeeded, it is retried once, with its own
  // permit, signing the query as the URL carries it. If that works the client
  // keeps that form; if it fails too, the fallback is never tried again.
  Result<InviteePage> invitee_assets(const InviteeQuery& query, TimePoint deadline);
  Result<SubAccountList> sub_accounts(TimePoint deadline);
  // The funnel endpoints (§6), under the same limiter and signing (and the
  // same fallback for the time parameters) as invitee_assets.
  Result<RegistrationPage> invitee_list(const RegistrationQuery& query, TimePoint deadline);
  Result<VolumePage> invitee_volume(const VolumeQuery& query, TimePoint deadline);
  // The three sub-account endpoints share one limiter (docs/coinw-api.md §8).
  Result<SubAccountApiKeys> sub_account_api_keys(TimePoint deadline);
  Result<TransferAvailable> transfer_available(uint64_t sub_uid, const std::string& coin, TimePoint deadline);

  // When the endpoint is paused after a rate-limit answer, until when.
  std::optional<TimePoint> paused_until(Endpoint e) const;

 private:
  struct Limits {
    ratelimit::WindowLimiter* endpoint;  // paused on a rate-limit answer
    std::vector<ratelimit::WindowLimiter*> all;
  };
  // A signed spot request for `e`'s command: the only way the client builds one,
  // so it sends no command but the read-only ones of kEndpoints.
  HttpRequest spot_request(Endpoint e, QueryParams params) const;
  template <class T, class Parse>
  Result<T> call(Endpoint e, const HttpRequest& request, TimePoint deadline, Parse parse,
                 QueryForm form = QueryForm::raw);
  // An affiliate request, with the signature fallback for encoded values.
  template <class T, class Parse>
  Result<T> affiliate_call(Endpoint e, const HttpRequest& request, TimePoint deadline, Parse parse);
  struct Exchange {
    Result<HttpResponse> response;  // a refusal comes back with `sent` false
    Duration latency{};
    std::optional<double> clock_skew;
  };
  // One permit, one signed request.
  Exchange send(Endpoint e, const Limits& limits, const HttpRequest& request, TimePoint deadline, QueryForm form);
  void pause_after(Endpoint e, const Limits& limits, const ApiError& error);
  const Limits& limits_of(Endpoint e) const { return limits_[static_cast<size_t>(info(e).family)]; }

  Credentials credentials_;
  Transport& transport_;
  ratelimit::RateGate& gate_;
  ClientOptions options_;
  ClientObserver* observer_;
  std::array<Limits, 2> limits_;  // by Family

  // The signature fallback, per client, so per account. Atomic, so that
  // concurrent calls on one client stay safe.
  std::atomic<bool> plain_signed_ok_{false};  // a request without encoded values succeeded
  std::atomic<bool> sign_encoded_{false};     // the fallback worked: sign the encoded form
  std::atomic<bool> fallback_failed_{false};  // it did not: a real auth problem
};

}  // namespace coinw::api
