#pragma once
// A pass over the invitee-assets endpoint (cumulative list, window, watch
// list). Each kind builds its next query (take) and applies the answer (apply),
// which keeps its logic free of I/O, and owns what it fetched: it renders it,
// drops it when stale and keeps it in the state file. The invitee collector
// (invitee_collector.h) only holds the list of them.
#include <nlohmann/json_fwd.hpp>

#include "collect/collector.h"
#include "collect/pass.h"
#include "config/config.h"

namespace coinw::collect {

struct InviteeRender {
  exposition::Labels account;
  bool fresh;  // the invitee data is within staleness_limit
  const config::InviteeAssetsConfig& config;
};

class InviteePass : public Pass {
 public:
  using Pass::Pass;

  Step step(api::Client& client, TimePoint send_deadline, Clock& clock) final {
    const api::InviteeQuery query = take(Now{clock.now(), clock.wall_now()});
    auto page = client.invitee_assets(query, send_deadline);
    Step s;
    if (!page) {
      s.error = page.error();
      return s;
    }
    s.at = Now{clock.now(), clock.wall_now()};
    s.completed = apply(query, page.value(), s.at);
    return s;
  }

  // Stale data dropped: true when something went.
  virtual bool drop_stale() = 0;
  virtual void collect(exposition::FamilySet& out, const InviteeRender& r) const = 0;
  // Its part of the state file (state_codec.h), and reading it back: true
  // when that restored data. `fresh`: the file's invitee data is within
  // staleness_limit; a closed window fetched for good is restored regardless.
  virtual StateSlice snapshot() const = 0;
  virtual bool restore(const nlohmann::json& file, const RestoreContext& r, bool fresh) = 0;

 protected:
  // The request wants() announced, starting a pass when it said so.
  virtual api::InviteeQuery take(const Now& now) = 0;
  // The answer to the query take() returned; true when it completed a pass.
  virtual bool apply(const api::InviteeQuery& query, const api::InviteePage& page, const Now& now) = 0;
};

}  // namespace coinw::collect
