#include "collect/watch_pass.h"

#include <algorithm>

#include "exposition/catalogue.h"
#include "log/log.h"

namespace coinw::collect {
namespace {

std::vector<uint64_t> sorted(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

WatchPass::WatchPass(std::string account, InviteeBook& book, std::vector<uint64_t> uids, Duration interval)
    : InviteePass("watch", book.quote()),
      account_(std::move(account)),
      book_(book),
      uids_(sorted(std::move(uids))),
      interval_(interval),
      fetched_(uids_.size()) {}

std::optional<size_t> WatchPass::due(const Now& now) const {
  std::optional<size_t> best;
  for (size_t i = 0; i < uids_.size(); ++i) {
    const auto& f = fetched_[i];
    if (f && now.steady - *f < interval_) continue;
    if (!f) return i;  // never fetched: first
    if (!best || *f < *fetched_[*best]) best = i;
  }
  return best;
}

std::optional<Want> WatchPass::wants(const Now& now) const {
  if (!due(now)) return std::nullopt;
  return Want{Priority::watch, round_.empty()};
}

api::InviteeQuery WatchPass::take(const Now& now) {
  api::InviteeQuery q;
  q.quote = quote();
  q.page_no = 1;
  q.page_size = 1;
  q.uid = uids_[due(now).value_or(0)];
  return q;
}

bool WatchPass::apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) {
  const uint64_t uid = query.uid.value_or(0);
  const auto at = std::lower_bound(uids_.begin(), uids_.end(), uid);
  if (at == uids_.end() || *at != uid) return false;
  const size_t i = static_cast<size_t>(at - uids_.begin());
  bool found = false;
  for (const auto& row : page.rows) {
    // A server that ignored uid= would answer with other invitees: only this one counts.
    if (row.uid != uid) continue;
    book_.refresh_row(row);
    found = true;
  }
  if (!found && warned_.insert(uid).second)
    log::warn("watched uid not in CoinW's answer: not a direct invitee of this account, or uid= ignored",
              {{"account", account_}, {"quote", quote()}, {"uid", std::to_string(uid)}});
  fetched_[i] = now.steady;
  round_.insert(i);
  if (round_.size() < uids_.size()) return false;
  round_.clear();
  completed_at(now.wall);
  return true;
}

void WatchPass::collect(exposition::FamilySet& out, const InviteeRender& r) const {
  if (!r.fresh) return;
  const auto quote = exposition::with(r.account, "quote", this->quote());
  for (uint64_t uid : uids_)
    exposition::sample(out, exposition::metric::invitee_watched, exposition::with(quote, "uid", std::to_string(uid)),
                       1);
}

}  // namespace coinw::collect
