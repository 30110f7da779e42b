#include "exposition/family_set.h"

#include <prometheus/text_serializer.h>

#include <sstream>

namespace coinw::exposition {

prometheus::MetricFamily& FamilySet::family(std::string_view name, std::string_view help,
                                            prometheus::MetricType type) {
  if (auto it = index_.find(name); it != index_.end()) return families_[it->second];
  index_.emplace(std::string(name), families_.size());
  families_.push_back(prometheus::MetricFamily{std::string(name), std::string(help), type, {}});
  return families_.back();
}

void FamilySet::add(std::string_view name, std::string_view help, prometheus::MetricType type,
                    prometheus::ClientMetric metric) {
  family(name, help, type).metric.push_back(std::move(metric));
}

void FamilySet::gauge(std::string_view name, std::string_view help, Labels labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  add(name, help, prometheus::MetricType::Gauge, std::move(m));
}

void FamilySet::counter(std::string_view name, std::string_view help, Labels labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  add(name, help, prometheus::MetricType::Counter, std::move(m));
}

std::vector<prometheus::MetricFamily> FamilySet::take() {
  std::vector<prometheus::MetricFamily> out;
  out.reserve(families_.size());
  for (auto& f : families_)
    if (!f.metric.empty()) out.push_back(std::move(f));
  families_.clear();
  index_.clear();
  return out;
}

std::string render_text(const std::vector<prometheus::MetricFamily>& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace coinw::exposition
