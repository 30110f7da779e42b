#pragma once
// A pass's request counter and completion time, as every collector renders them.
#include "collect/pass.h"
#include "exposition/catalogue.h"

namespace coinw::collect {

inline void sample_pass_progress(exposition::FamilySet& out, const exposition::Labels& labels, const Pass& p) {
  namespace metric = exposition::metric;
  exposition::sample(out, metric::invitee_pass_requests, labels, static_cast<double>(p.requests()));
  if (auto t = p.last_complete_seconds()) exposition::sample(out, metric::invitee_pass_last_complete, labels, *t);
}

}  // namespace coinw::collect
