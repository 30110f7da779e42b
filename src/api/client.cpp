#include "api/client.h"

#include <algorithm>
#include <charconv>

#include "api/signing.h"
#include "common/timefmt.h"
#include "common/wall_time.h"

namespace coinw::api {
namespace {

// Who CoinW counts a request against: the configured user, else a short,
// stable, non-reversible name for the key, so limiter keys can be shared
// without holding the key itself.
std::string user_id(const std::string& user, const std::string& api_key) {
  if (!user.empty()) return "user:" + user;
  return "key:" + hmac_sha256_base64("coinw-limiter", api_key).substr(0, 16);
}

std::optional<std::chrono::seconds> parse_retry_after(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  long long s = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), s);
  if (ec != std::errc() || p != v->data() + v->size() || s < 0) return std::nullopt;
  return std::chrono::seconds(std::min<long long>(s, 24 * 3600));
}

// A page that could not be fully read is not applied: the last good values stay.
ApiError drifted_error(const FormatReport& f, int http_status) {
  return ApiError{FailureReason::unexpected_format,
                  std::to_string(f.unreadable_rows) + " of " + std::to_string(f.rows) +
                      " rows not fully readable: CoinW's format may have changed",
                  "",
                  http_status,
                  {}};
}

// The server wrote its Date somewhere between our send and our receipt, and
// cut it to the second: its middle against the middle of the request.
std::optional<double> clock_skew(const HttpResponse& r, WallTime sent, WallTime received) {
  if (!r.date) return std::nullopt;
  auto date = parse_http_date(*r.date);
  if (!date) return std::nullopt;
  const double ours = (unix_seconds(sent) + unix_seconds(received)) / 2;
  return static_cast<double>(*date) + 0.5 - ours;
}

// Every spot endpoint's command is a read-only one: checked when this compiles.
constexpr bool read_only_commands() {
  for (const auto& e : kEndpoints) {
    if (e.family != Family::spot) continue;
    if (std::find(facts::kReadOnlySpotCommands.begin(), facts::kReadOnlySpotCommands.end(), e.command) ==
        facts::kReadOnlySpotCommands.end())
      return false;
  }
  return true;
}
static_assert(read_only_commands(), "a spot endpoint names a command outside facts::kReadOnlySpotCommands");

}  // namespace

Client::Client(Credentials credentials, Transport& transport, ratelimit::RateGate& gate, ClientOptions options,
               ClientObserver* observer)
    : credentials_(std::move(credentials)), transport_(transport), gate_(gate), options_(options), observer_(observer) {
  const auto& l = options_.limits;
  const std::string who = user_id(options_.user, credentials_.api_key);
  auto spec = [&](int n) { return ratelimit::LimitSpec{n, l.window, l.margin}; };
  auto add = [&](Limits& limits, const std::string& key, int n) {
    if (n > 0) limits.all.push_back(gate_.limiter(key, spec(n)));
  };
  // The endpoint limit always applies, so a zero there means 1/s, never "no limit".
  auto& affiliate = limits_[static_cast<size_t>(Family::affiliate)];
  affiliate.endpoint = gate_.limiter("invitee_assets/" + who, spec(std::max(1, l.invitee_assets_per_s)));
  affiliate.all.push_back(affiliate.endpoint);
  add(affiliate, "futures_ip", l.futures_ip_per_s);
  auto& spot = limits_[static_cast<size_t>(Family::spot)];
  spot.endpoint = gate_.limiter("sub_account_list/" + who, spec(std::max(1, l.sub_account_list_per_s)));
  spot.all.push_back(spot.endpoint);
  add(spot, "spot_ip", l.spot_ip_per_s);
  add(spot, "spot_user/" + who, l.spot_user_per_s);
}

Result<InviteePage> Client::invitee_assets(const InviteeQuery& q, TimePoint deadline) {
  HttpRequest r;
  r.method = "GET";
  r.path = facts::kInviteeAssetsPath;
  // Byte order of the names: "signed as sent" and "signed sorted" then agree (docs/coinw-api.md §1).
  if (q.end_time) r.query.emplace_back("endTime", *q.end_time);
  r.query.emplace_back("pageNo", std::to_string(q.page_no));
  r.query.emplace_back("pageSize", std::to_string(q.page_size));
  r.query.emplace_back("quote", q.quote);
  if (q.start_time) r.query.emplace_back("startTime", *q.start_time);
  if (q.uid) r.query.emplace_back("uid", std::to_string(*q.uid));
  const int offset = options_.time_zone_offset_seconds;
  return affiliate_call<InviteePage>(Endpoint::invitee_assets, r, deadline, [&](const HttpResponse& resp) {
    return parse_invitee_page(resp.status, resp.body, offset);
  });
}

Result<RegistrationPage> Client::invitee_list(const RegistrationQuery& q, TimePoint deadline) {
  HttpRequest r;
  r.method = "GET";
  r.path = facts::kInviteeListPath;
  r.query = {{"endTime", q.end_time},
             {"pageNo", std::to_string(q.page_no)},
             {"pageSize", std::to_string(q.page_size)},
             {"startTime", q.start_time}};
  const int offset = options_.time_zone_offset_seconds;
  return affiliate_call<RegistrationPage>(Endpoint::invitee_list, r, deadline, [&](const HttpResponse& resp) {
    return parse_registration_page(resp.status, resp.body, offset);
  });
}

std::string volume_request_body(const VolumeQuery& q) {
  // Written by hand, not by a JSON library, so the bytes signed and sent
  // cannot change with its version; dates and numbers need no escaping.
  return "{\"endTime\":\"" + format_coinw_date(q.last_day) + "\",\"pageNo\":" + std::to_string(q.page_no) +
         ",\"pageSize\":" + std::to_string(q.page_size) + ",\"startTime\":\"" + format_coinw_date(q.first_day) + "\"}";
}

Result<VolumePage> Client::invitee_volume(const VolumeQuery& q, TimePoint deadline) {
  HttpRequest r;
  r.method = "POST";
  r.path = facts::kInviteeVolumePath;
  r.body = volume_request_body(q);
  return affiliate_call<VolumePage>(Endpoint::invitee_volume, r, deadline, [&](const HttpResponse& resp) {
    return parse_volume_page(resp.status, resp.body, q.first_day, q.last_day);
  });
}

template <class T, class Parse>
Result<T> Client::affiliate_call(Endpoint e, const HttpRequest& r, TimePoint deadline, Parse parse) {
  // Only where encoding changes the query can the two readings of the rule differ.
  if (join_raw(r.query) == join_encoded(r.query)) {
    auto result = call<T>(e, r, deadline, parse);
    if (result) plain_signed_ok_ = true;
    return result;
  }
  if (sign_encoded_) return call<T>(e, r, deadline, parse, QueryForm::encoded);
  auto result = call<T>(e, r, deadline, parse);
  // A bad signature while plain requests pass points at the form, not the key.
  if (result || result.error().code != facts::code::kBadSign || !plain_signed_ok_ || fallback_failed_) return result;
  auto retry = call<T>(e, r, deadline, parse, QueryForm::encoded);
  if (retry) {
    if (!sign_encoded_.exchange(true) && observer_) observer_->on_signature_fallback(e);
  } else if (retry.error().code == facts::code::kBadSign) {
    fallback_failed_ = true;
  }
  return retry;
}

HttpRequest Client::spot_request(Endpoint e, QueryParams params) const {
  HttpRequest r;
  r.method = "POST";
  r.path = facts::kPrivateSpotPath;
  const std::string sign = spot_sign(params, credentials_.api_key, credentials_.secret_key);
  r.query = {{"command", std::string(info(e).command)}};
  for (auto& p : params) r.query.push_back(std::move(p));
  r.query.emplace_back("api_key", credentials_.api_key);
  r.query.emplace_back("sign", sign);
  return r;
}

Result<SubAccountList> Client::sub_accounts(TimePoint deadline) {
  return call<SubAccountList>(Endpoint::sub_account_list, spot_request(Endpoint::sub_account_list, {}), deadline,
                              [](const HttpResponse& resp) { return parse_sub_accounts(resp.status, resp.body); });
}

Result<SubAccountApiKeys> Client::sub_account_api_keys(TimePoint deadline) {
  const Endpoint e = Endpoint::sub_account_apikey;
  return call<SubAccountApiKeys>(e, spot_request(e, {}), deadline, [](const HttpResponse& resp) {
    return parse_sub_account_api_keys(resp.status, resp.body);
  });
}

Result<TransferAvailable> Client::transfer_available(uint64_t sub_uid, const std::string& coin, TimePoint deadline) {
  const Endpoint e = Endpoint::sub_account_transfer_available;
  // Names in byte order, as the spot signature sorts them; CoinW's example sends the uid as a string.
  return call<TransferAvailable>(
      e, spot_request(e, {{"coinCode", coin}, {"subUid", std::to_string(sub_uid)}}), deadline,
      [](const HttpResponse& resp) { return parse_transfer_available(resp.status, resp.body); });
}

Client::Exchange Client::send(Endpoint e, const Limits& limits, const HttpRequest& request, TimePoint deadline,
                              QueryForm form) {
  auto acquired = gate_.acquire(limits.all, deadline);
  if (observer_ && acquired.waited.count() > 0) observer_->on_limiter_wait(e, acquired.waited);
  if (!acquired.permit) {
    bool paused = acquired.refusal == ratelimit::Refusal::paused;
    ApiError err{paused ? FailureReason::rate_limited : FailureReason::timeout,
                 paused ? "paused after a rate-limit answer" : "no request slot within the scrape budget",
                 "",
                 0,
                 {}};
    err.sent = false;
    return {err, {}, {}};
  }

  HttpRequest signed_request = request;
  if (info(e).family == Family::affiliate) {
    // The timestamp is taken after the limiter wait, so it is fresh when sent.
    const int64_t ts = unix_millis(gate_.clock().wall_now());
    signed_request.headers = {{"api_key", credentials_.api_key},
                              {"timestamp", std::to_string(ts)},
                              {"sign", futures_sign(credentials_.secret_key, ts, request.method, request.path,
                                                    request.query, request.body, form)}};
  }

  const TimePoint start = gate_.clock().now();
  const auto sent = gate_.clock().wall_now();
  auto response = transport_.send(signed_request);
  acquired.permit->finish();
  const Duration latency = gate_.clock().now() - start;
  const std::optional<double> skew =
      response ? clock_skew(response.value(), sent, gate_.clock().wall_now()) : std::nullopt;
  return {std::move(response), latency, skew};
}

template <class T, class Parse>
Result<T> Client::call(Endpoint e, const HttpRequest& request, TimePoint deadline, Parse parse, QueryForm form) {
  const Limits& limits = limits_of(e);
  Exchange x = send(e, limits, request, deadline, form);
  // The server closed a kept-alive connection as the request went out: one more
  // try on a new connection, with a permit of its own, in case it was counted.
  if (!x.response && x.response.error().stale_connection) x = send(e, limits, request, deadline, form);
  if (!x.response && !x.response.error().sent) return x.response.error();
  const auto& [response, latency, skew] = x;

  Result<T> result = response ? parse(response.value()) : Result<T>(response.error());
  std::optional<FormatReport> format;
  if (result) {
    format = result.value().format;
    if (format->drifted()) result = drifted_error(*format, response.value().status);
  }
  if (!result && result.error().reason == FailureReason::rate_limited) {
    if (response) result.error().retry_after = parse_retry_after(response.value().retry_after);
    pause_after(e, limits, result.error());
  }
  if (observer_) {
    observer_->on_request(e, latency, result ? std::nullopt : std::optional(result.error().reason));
    if (result && result.value().invalid_rows) observer_->on_invalid_rows(e, result.value().invalid_rows);
    if (format) observer_->on_format(e, *format);
    if (skew) observer_->on_clock_skew(e, *skew);
  }
  return result;
}

void Client::pause_after(Endpoint e, const Limits& limits, const ApiError& error) {
  auto pause = options_.limits.pause;
  if (error.retry_after && *error.retry_after > pause) pause = *error.retry_after;
  gate_.pause(limits.endpoint, gate_.clock().now() + pause);
  if (observer_) observer_->on_pause(e, pause);
}

std::optional<TimePoint> Client::paused_until(Endpoint e) const { return gate_.paused_until(limits_of(e).endpoint); }

}  // namespace coinw::api
