#pragma once
// The sub-accounts' API keys as the last applied answer of subAccount_apikey
// lists them, and what changed between answers. A key is its owner's userCode
// and its masked public key; the whole key never reaches this far (api/parse.h).
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/parse.h"
#include "collect/shrink_guard.h"

namespace coinw::collect {

class ApiKeyInventory {
 public:
  enum Change { added, removed, flags, kChanges };
  using Keys = std::shared_ptr<const std::vector<api::SubAccountApiKey>>;
  using Counts = std::map<std::string, std::array<uint64_t, kChanges>, std::less<>>;

  // One successful answer. A sudden shrink (an empty answer, say) is held
  // until a second answer, min_interval later, confirms it (shrink_guard.h):
  // returns false while held. `owners` are the userCodes of the sub-account
  // list, whose counters start at zero even without keys.
  bool observe(std::vector<api::SubAccountApiKey> rows, const std::vector<std::string>& owners, TimePoint now,
               Duration min_interval);
  // The state file brings rows back; changes start counting from the next answer.
  void restore(std::vector<api::SubAccountApiKey> rows);
  void clear();

  Keys keys() const;
  Counts changes() const;

 private:
  mutable std::mutex mu_;
  Keys keys_;  // what is served: dropped when stale
  Keys seen_;  // the last applied answer, which the next one is compared with
  Counts changes_;
  ShrinkGuard guard_;
};

// The flags that count as a change.
bool same_flags(const api::SubAccountApiKey& a, const api::SubAccountApiKey& b);

}  // namespace coinw::collect
