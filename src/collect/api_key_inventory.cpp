#include "collect/api_key_inventory.h"

#include <mutex>
#include <utility>

namespace coinw::collect {
namespace {

using Key = std::pair<std::string, std::string>;  // userCode, masked key

std::map<Key, const api::SubAccountApiKey*> by_key(const std::vector<api::SubAccountApiKey>& rows) {
  std::map<Key, const api::SubAccountApiKey*> out;
  for (const auto& k : rows) out.emplace(Key{k.user_code, k.key}, &k);
  return out;
}

}  // namespace

bool same_flags(const api::SubAccountApiKey& a, const api::SubAccountApiKey& b) {
  return a.read_only == b.read_only && a.ip_whitelist == b.ip_whitelist && a.spot_trade == b.spot_trade &&
         a.contract_trade == b.contract_trade;
}

bool ApiKeyInventory::observe(std::vector<api::SubAccountApiKey> rows, const std::vector<std::string>& owners,
                              TimePoint now, Duration min_interval) {
  std::lock_guard lock(mu_);
  const std::optional<size_t> applied = seen_ ? std::optional(seen_->size()) : std::nullopt;
  if (guard_.judge(rows.size(), applied, now, min_interval) == ShrinkGuard::Verdict::hold) return false;
  for (const auto& o : owners) changes_.try_emplace(o);
  for (const auto& k : rows) changes_.try_emplace(k.user_code);
  if (seen_) {
    const auto before = by_key(*seen_);
    const auto after = by_key(rows);
    for (const auto& [key, row] : after) {
      const auto it = before.find(key);
      if (it == before.end())
        ++changes_[key.first][added];
      else if (!same_flags(*it->second, *row))
        ++changes_[key.first][flags];
    }
    for (const auto& [key, row] : before)
      if (!after.contains(key)) ++changes_[key.first][removed];
  }
  keys_ = std::make_shared<const std::vector<api::SubAccountApiKey>>(std::move(rows));
  seen_ = keys_;
  return true;
}

void ApiKeyInventory::restore(std::vector<api::SubAccountApiKey> rows) {
  std::lock_guard lock(mu_);
  keys_ = std::make_shared<const std::vector<api::SubAccountApiKey>>(std::move(rows));
}

void ApiKeyInventory::clear() {
  std::lock_guard lock(mu_);
  keys_.reset();
  guard_.reset();
}

ApiKeyInventory::Keys ApiKeyInventory::keys() const {
  std::lock_guard lock(mu_);
  return keys_;
}

ApiKeyInventory::Counts ApiKeyInventory::changes() const {
  std::lock_guard lock(mu_);
  return changes_;
}

}  // namespace coinw::collect
