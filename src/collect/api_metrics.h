#pragma once
// Counts what the API client does for one account, as Prometheus counters and a
// latency histogram, every label pre-initialised so rate() works from the start.
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

#include <prometheus/counter.h>
#include <prometheus/histogram.h>

#include "api/client.h"
#include "exposition/family_set.h"

namespace coinw::collect {

class ApiMetrics final : public api::ClientObserver {
 public:
  // Every series of `endpoints` is there from the start.
  ApiMetrics(std::string account, const std::vector<api::Endpoint>& endpoints);
  void on_limiter_wait(api::Endpoint e, Duration d) override;
  void on_request(api::Endpoint e, Duration latency, const std::optional<api::FailureReason>& failure) override;
  void on_invalid_rows(api::Endpoint e, size_t n) override;
  void on_pause(api::Endpoint e, std::chrono::seconds s) override;
  void on_format(api::Endpoint e, const api::FormatReport& f) override;
  void on_signature_fallback(api::Endpoint e) override;
  void on_clock_skew(api::Endpoint, double seconds) override;

  void collect(exposition::FamilySet& out, const exposition::Labels& account) const;

 private:
  struct PerEndpoint {
    explicit PerEndpoint(api::Endpoint e);
    prometheus::Counter requests, invalid_rows, limiter_wait_seconds, pauses, text_repairs;
    std::map<std::string_view, prometheus::Counter> invalid_fields;  // every field of the endpoint, from the start
    std::array<prometheus::Counter, api::kAllFailureReasons.size()> failures;
    prometheus::Histogram latency;
  };
  PerEndpoint& of(api::Endpoint e) { return *endpoints_.at(e); }
  std::map<api::Endpoint, std::unique_ptr<PerEndpoint>> endpoints_;
  prometheus::Counter signature_fallbacks_;
  std::atomic<double> clock_skew_{std::numeric_limits<double>::quiet_NaN()};  // NaN: no Date seen yet
  const std::string account_;                                                 // for the log
};

}  // namespace coinw::collect
