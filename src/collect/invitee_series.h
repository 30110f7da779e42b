#pragma once
// Which invitees get per-uid series (per_invitee_series): all of them, the
// top_k by a value, or none; watched uids always do. Aggregates never depend
// on it: they always cover every invitee.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "config/config.h"

namespace coinw::collect {

// nullptr: every uid is selected.
using Selection = std::unique_ptr<std::vector<uint64_t>>;

// `rows` has for_each over rows with a `uid`; `key` ranks them for `top`.
template <class Rows, class Key>
Selection select_uids(const Rows& rows, Key key, const config::InviteeAssetsConfig& c) {
  using config::PerInviteeSeries;
  if (c.per_invitee_series == PerInviteeSeries::all) return nullptr;
  auto uids = std::make_unique<std::vector<uint64_t>>(c.watch.uids);
  if (c.per_invitee_series == PerInviteeSeries::top) {
    std::vector<std::pair<double, uint64_t>> ranked;
    rows.for_each([&](const auto& r) {
      const double v = key(r);
      ranked.emplace_back(std::isnan(v) ? -std::numeric_limits<double>::infinity() : v, r.uid);
    });
    const size_t k = std::min(ranked.size(), static_cast<size_t>(c.top_k));
    // Largest first; equal values by uid, so the selection is stable between scrapes.
    auto larger = [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(), larger);
    for (size_t i = 0; i < k; ++i) uids->push_back(ranked[i].second);
  }
  std::sort(uids->begin(), uids->end());
  uids->erase(std::unique(uids->begin(), uids->end()), uids->end());
  return uids;
}

inline bool selected(const Selection& uids, uint64_t uid) {
  return !uids || std::binary_search(uids->begin(), uids->end(), uid);
}

}  // namespace coinw::collect
