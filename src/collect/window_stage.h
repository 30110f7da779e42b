#pragma once
// Where a window's current period stands, as one value that changes in one
// place. An open period (one that contains now) is walked again and again; a
// pass that starts after the period's end sees it settled, and its answer is
// kept for good, unless it came back empty: an empty success may be a glitch,
// so a second settled pass must say the same before an empty period is final.
namespace coinw::collect {

enum class WindowStage {
  idle,         // no pass running: due again after its interval (open), its grace (closed)
  walking,      // a pass over the open period
  settling,     // a pass that started after the period's end
  unconfirmed,  // a settled pass came back empty; one more must confirm it
  confirming,   // that second settled pass
  final,        // fetched for good: nothing more to do for this period
};

enum class WindowEvent {
  start,           // a pass starts while the period is open
  start_settled,   // a pass starts after the period's end
  rows,            // the pass completed with rows
  empty,           // the pass completed with none
  reset,           // a new period, or its data dropped as stale
  restored_final,  // a final pass read back from the state file
};

// The stage after `event`. Events that make no sense in a stage (a completion
// while idle) leave it as it is.
WindowStage next_stage(WindowStage stage, WindowEvent event);

inline bool walking(WindowStage s) {
  return s == WindowStage::walking || s == WindowStage::settling || s == WindowStage::confirming;
}

}  // namespace coinw::collect
