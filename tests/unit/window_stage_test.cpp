// The window lifecycle as a table: every stage under every event.
#include "collect/window_stage.h"

#include <gtest/gtest.h>

namespace coinw::collect {
namespace {

using S = WindowStage;
using E = WindowEvent;

TEST(WindowStage, AnOpenPeriodIsWalkedAgainAndAgain) {
  EXPECT_EQ(next_stage(S::idle, E::start), S::walking);
  EXPECT_EQ(next_stage(S::walking, E::rows), S::idle);
  EXPECT_EQ(next_stage(S::walking, E::empty), S::idle) << "an open period may well be empty";
}

TEST(WindowStage, ASettledPassWithRowsIsFinal) {
  EXPECT_EQ(next_stage(S::idle, E::start_settled), S::settling);
  EXPECT_EQ(next_stage(S::settling, E::rows), S::final);
}

TEST(WindowStage, AnEmptySettledAnswerIsFinalOnlyOnceASecondPassSaysTheSame) {
  EXPECT_EQ(next_stage(S::settling, E::empty), S::unconfirmed);
  EXPECT_EQ(next_stage(S::unconfirmed, E::start_settled), S::confirming);
  EXPECT_EQ(next_stage(S::unconfirmed, E::start), S::confirming) << "the period has ended: any pass is settled";
  EXPECT_EQ(next_stage(S::confirming, E::empty), S::final);
  EXPECT_EQ(next_stage(S::confirming, E::rows), S::final);
}

TEST(WindowStage, FinalStaysFinalUntilANewPeriod) {
  for (E e : {E::start, E::start_settled, E::rows, E::empty, E::restored_final})
    EXPECT_EQ(next_stage(S::final, e), S::final);
  EXPECT_EQ(next_stage(S::final, E::reset), S::idle);
}

TEST(WindowStage, AResetEndsEveryStage) {
  for (S s : {S::idle, S::walking, S::settling, S::unconfirmed, S::confirming, S::final})
    EXPECT_EQ(next_stage(s, E::reset), S::idle);
}

TEST(WindowStage, EventsThatMakeNoSenseChangeNothing) {
  EXPECT_EQ(next_stage(S::idle, E::rows), S::idle) << "a completion with no pass running";
  EXPECT_EQ(next_stage(S::walking, E::start), S::walking);
  EXPECT_EQ(next_stage(S::settling, E::start_settled), S::settling);
  EXPECT_EQ(next_stage(S::walking, E::restored_final), S::walking);
}

TEST(WindowStage, ARestoredFinalPassNeedsNoRequest) { EXPECT_EQ(next_stage(S::idle, E::restored_final), S::final); }

TEST(WindowStage, WalkingStagesAreThoseWithAPassRunning) {
  EXPECT_TRUE(walking(S::walking));
  EXPECT_TRUE(walking(S::settling));
  EXPECT_TRUE(walking(S::confirming));
  EXPECT_FALSE(walking(S::idle));
  EXPECT_FALSE(walking(S::unconfirmed));
  EXPECT_FALSE(walking(S::final));
}

}  // namespace
}  // namespace coinw::collect
