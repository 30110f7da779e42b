#pragma once
// Decides which API requests get a broken answer. Rendering the broken answer is
// the server's job; this part is pure so its bookkeeping is easy to reason about.
// Not thread-safe.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/options.h"

namespace coinw::sim {

enum class FaultKind { http500, html, malformed, truncated, empty, slow, drop, storm };

std::optional<FaultKind> parse_fault_kind(std::string_view name);
const char* fault_name(FaultKind kind);
inline constexpr FaultKind kAllFaultKinds[] = {FaultKind::http500,   FaultKind::html,  FaultKind::malformed,
                                               FaultKind::truncated, FaultKind::empty, FaultKind::slow,
                                               FaultKind::drop,      FaultKind::storm};

class FaultInjector {
 public:
  explicit FaultInjector(uint64_t seed) : rng_(seed) {}
  // Throws std::invalid_argument on an unknown kind or a rate outside 0..1.
  void configure(const Faults& faults);
  const Faults& config() const { return cfg_; }
  // The fault for the next API request, if any: a storm in progress wins, then a fresh draw.
  std::optional<FaultKind> next();

 private:
  Faults cfg_;
  std::vector<FaultKind> kinds_;
  uint64_t rng_;
  int storm_left_ = 0;
};

}  // namespace coinw::sim
