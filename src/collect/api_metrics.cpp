#include "collect/api_metrics.h"

#include "exposition/catalogue.h"
#include "log/log.h"

namespace coinw::collect {
namespace {

using exposition::sample;
using exposition::with;
namespace metric = exposition::metric;

// CoinW answers in tens to hundreds of milliseconds; timeouts are seconds.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets{0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

ApiMetrics::PerEndpoint::PerEndpoint(api::Endpoint e) : latency(kLatencyBuckets) {
  for (auto f : api::info(e).fields) invalid_fields.try_emplace(f);
}

ApiMetrics::ApiMetrics(std::string account, const std::vector<api::Endpoint>& endpoints)
    : account_(std::move(account)) {
  for (api::Endpoint e : endpoints) endpoints_.try_emplace(e, std::make_unique<PerEndpoint>(e));
}

void ApiMetrics::on_limiter_wait(api::Endpoint e, Duration d) { of(e).limiter_wait_seconds.Increment(seconds(d)); }

void ApiMetrics::on_request(api::Endpoint e, Duration latency, const std::optional<api::FailureReason>& failure) {
  auto& m = of(e);
  m.requests.Increment();
  m.latency.Observe(seconds(latency));
  if (failure) m.failures[static_cast<size_t>(*failure)].Increment();
}

void ApiMetrics::on_invalid_rows(api::Endpoint e, size_t n) { of(e).invalid_rows.Increment(static_cast<double>(n)); }

void ApiMetrics::on_format(api::Endpoint e, const api::FormatReport& f) {
  auto& m = of(e);
  m.text_repairs.Increment(static_cast<double>(f.text_repairs));
  for (const auto& [field, n] : f.invalid_fields)
    if (auto it = m.invalid_fields.find(field); it != m.invalid_fields.end())
      it->second.Increment(static_cast<double>(n));
}

void ApiMetrics::on_pause(api::Endpoint e, std::chrono::seconds) { of(e).pauses.Increment(); }

void ApiMetrics::on_signature_fallback(api::Endpoint) {
  signature_fallbacks_.Increment();
  // The client remembers the form, so this happens once per account and run.
  log::warn(
      "CoinW refused the signature over the raw query values but accepted the percent-encoded query; "
      "signing requests with time parameters that way from now on",
      {{"account", account_}, {"metric", "coinw_api_signature_fallbacks_total"}});
}

void ApiMetrics::on_clock_skew(api::Endpoint, double seconds) { clock_skew_ = seconds; }

void ApiMetrics::collect(exposition::FamilySet& out, const exposition::Labels& account) const {
  sample(out, metric::api_signature_fallbacks, account, signature_fallbacks_.Value());
  if (const double skew = clock_skew_; !std::isnan(skew)) sample(out, metric::api_clock_skew, account, skew);
  for (const auto& [e, per] : endpoints_) {
    const auto& m = *per;
    const auto labels = with(account, "endpoint", api::to_string(e));
    sample(out, metric::api_requests, labels, m.requests.Value());
    for (api::FailureReason r : api::kAllFailureReasons)
      sample(out, metric::api_failures, with(labels, "reason", api::to_string(r)),
             m.failures[static_cast<size_t>(r)].Value());
    exposition::histogram(out, metric::api_request_duration, labels, m.latency.Collect().histogram);
    sample(out, metric::api_invalid_rows, labels, m.invalid_rows.Value());
    for (const auto& [field, n] : m.invalid_fields)
      sample(out, metric::api_invalid_fields, with(labels, "field", field), n.Value());
    sample(out, metric::api_text_repairs, labels, m.text_repairs.Value());
    sample(out, metric::rate_limiter_wait, labels, m.limiter_wait_seconds.Value());
    sample(out, metric::rate_limit_pauses, labels, m.pauses.Value());
  }
}

}  // namespace coinw::collect
