#include "collect/window_stage.h"

namespace coinw::collect {

WindowStage next_stage(WindowStage stage, WindowEvent event) {
  using S = WindowStage;
  using E = WindowEvent;
  if (event == E::reset) return S::idle;
  switch (stage) {
    case S::idle:
      if (event == E::start) return S::walking;
      if (event == E::start_settled) return S::settling;
      if (event == E::restored_final) return S::final;
      break;
    case S::unconfirmed:
      // The period has ended, so any new pass is a settled one.
      if (event == E::start || event == E::start_settled) return S::confirming;
      break;
    case S::walking:
      if (event == E::rows || event == E::empty) return S::idle;
      break;
    case S::settling:
      if (event == E::rows) return S::final;
      if (event == E::empty) return S::unconfirmed;
      break;
    case S::confirming:
      if (event == E::rows || event == E::empty) return S::final;
      break;
    case S::final: break;
  }
  return stage;
}

}  // namespace coinw::collect
