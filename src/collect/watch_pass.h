#pragma once
// The watch list of one quote: each watched invitee fetched on its own (uid=)
// every min_refresh_interval, its cumulative values updated in the quote's
// InviteeBook between full passes. A pass is one round over every uid.
#include <set>
#include <vector>

#include "collect/invitee_book.h"
#include "collect/invitee_pass.h"

namespace coinw::collect {

class WatchPass final : public InviteePass {
 public:
  WatchPass(std::string account, InviteeBook& book, std::vector<uint64_t> uids, Duration interval);

  std::optional<Want> wants(const Now& now) const override;
  Duration interval() const override { return interval_; }
  // Its values live in the cumulative pass's book, which drops and keeps them.
  bool drop_stale() override { return false; }
  void collect(exposition::FamilySet& out, const InviteeRender& r) const override;
  StateSlice snapshot() const override { return {}; }
  bool restore(const nlohmann::json&, const RestoreContext&, bool) override { return false; }

 protected:
  api::InviteeQuery take(const Now& now) override;
  bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) override;

 private:
  std::optional<size_t> due(const Now& now) const;  // the longest-waiting due uid

  const std::string account_;
  InviteeBook& book_;
  const std::vector<uint64_t> uids_;
  const Duration interval_;
  std::vector<std::optional<TimePoint>> fetched_;  // per uid, steady
  std::set<size_t> round_;                         // uids fetched in this round
  std::set<uint64_t> warned_;                      // uids CoinW did not answer for, logged once
};

}  // namespace coinw::collect
