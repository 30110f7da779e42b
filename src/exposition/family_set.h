#pragma once
// Metric families built fresh on every scrape, kept in the order they were first
// named, so the output is stable and accounts merge into one family per name.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

namespace coinw::exposition {

using Labels = std::vector<prometheus::ClientMetric::Label>;

class FamilySet {
 public:
  prometheus::MetricFamily& family(std::string_view name, std::string_view help, prometheus::MetricType type);
  void gauge(std::string_view name, std::string_view help, Labels labels, double value);
  void counter(std::string_view name, std::string_view help, Labels labels, double value);
  void add(std::string_view name, std::string_view help, prometheus::MetricType type,
           prometheus::ClientMetric metric);
  // Families with at least one sample, in order.
  std::vector<prometheus::MetricFamily> take();

 private:
  std::vector<prometheus::MetricFamily> families_;
  std::map<std::string, size_t, std::less<>> index_;
};

// Prometheus' text exposition format 0.0.4.
std::string render_text(const std::vector<prometheus::MetricFamily>& families);

}  // namespace coinw::exposition
