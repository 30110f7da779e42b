#include "sim/faults.h"

#include <stdexcept>
#include <string>

#include "sim/dataset.h"

namespace coinw::sim {

const char* fault_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::http500: return "http500";
    case FaultKind::html: return "html";
    case FaultKind::malformed: return "malformed";
    case FaultKind::truncated: return "truncated";
    case FaultKind::empty: return "empty";
    case FaultKind::slow: return "slow";
    case FaultKind::drop: return "drop";
    case FaultKind::storm: return "storm";
  }
  return "?";
}

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (auto k : kAllFaultKinds)
    if (name == fault_name(k)) return k;
  return std::nullopt;
}

void FaultInjector::configure(const Faults& faults) {
  if (!(faults.rate >= 0 && faults.rate <= 1)) throw std::invalid_argument("fault rate must be between 0 and 1");
  if (faults.slow_ms < 0 || faults.storm_length < 1)
    throw std::invalid_argument("slow_ms must be >= 0 and storm_length >= 1");
  std::vector<FaultKind> kinds;
  for (const auto& name : faults.kinds) {
    auto k = parse_fault_kind(name);
    if (!k) throw std::invalid_argument("unknown fault kind: " + name);
    kinds.push_back(*k);
  }
  if (faults.rate > 0 && kinds.empty()) throw std::invalid_argument("a fault rate needs at least one fault kind");
  cfg_ = faults;
  kinds_ = std::move(kinds);
  storm_left_ = 0;  // a new configuration ends any storm in progress
}

std::optional<FaultKind> FaultInjector::next() {
  if (storm_left_ > 0) {
    --storm_left_;
    return FaultKind::storm;
  }
  if (cfg_.rate <= 0 || kinds_.empty()) return std::nullopt;
  if (static_cast<double>(next_random(rng_) % 1'000'000) >= cfg_.rate * 1'000'000) return std::nullopt;
  auto kind = kinds_[static_cast<size_t>(random_between(rng_, 0, static_cast<int64_t>(kinds_.size()) - 1))];
  if (kind == FaultKind::storm) storm_left_ = cfg_.storm_length - 1;
  return kind;
}

}  // namespace coinw::sim
