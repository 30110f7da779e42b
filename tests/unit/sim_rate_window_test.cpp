#include <gtest/gtest.h>

#include "sim/rate_window.h"

namespace coinw::sim {
namespace {

using std::chrono::milliseconds;
const TimePoint t0{};

TEST(SimSlidingWindow, RefusesTheArrivalThatWouldMakeNPlusOne) {
  SlidingWindow w(5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(w.arrive(t0 + milliseconds(i * 100)));
  EXPECT_FALSE(w.arrive(t0 + milliseconds(500)));
}

TEST(SimSlidingWindow, WindowIsClosedAtBothEnds) {
  SlidingWindow w(2);
  EXPECT_TRUE(w.arrive(t0));
  EXPECT_TRUE(w.arrive(t0 + milliseconds(10)));
  // Exactly one second after the first arrival: it is still inside [t-1s, t].
  EXPECT_FALSE(w.arrive(t0 + milliseconds(1000)));
  // The refused arrival counts too, so the window stays full.
  EXPECT_FALSE(w.arrive(t0 + milliseconds(1005)));
  EXPECT_EQ(w.count(t0 + milliseconds(1005)), 3u);  // t0 has left the window
}

TEST(SimSlidingWindow, FreesUpOnceOldArrivalsLeave) {
  SlidingWindow w(3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(w.arrive(t0 + milliseconds(i)));
  EXPECT_FALSE(w.arrive(t0 + milliseconds(999)));
  // At 1999 ms only the refused 999 ms arrival is left in the window.
  EXPECT_TRUE(w.arrive(t0 + milliseconds(1999)));
  EXPECT_EQ(w.count(t0 + milliseconds(1999)), 2u);
}

TEST(SimSlidingWindow, EvenlySpacedAtExactlyTheLimitIsRefused) {
  // 5 per second sent every 200 ms: arrivals at 0..1000 ms are 6 in one closed window.
  SlidingWindow w(5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(w.arrive(t0 + milliseconds(i * 200)));
  EXPECT_FALSE(w.arrive(t0 + milliseconds(1000)));
  SlidingWindow w2(5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(w2.arrive(t0 + milliseconds(i * 201)));
  EXPECT_TRUE(w2.arrive(t0 + milliseconds(1005)));
}

TEST(SimSlidingWindow, ZeroLimitMeansUnlimited) {
  SlidingWindow w(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(w.arrive(t0));
}

TEST(SimKeyedWindows, KeysAreIndependent) {
  KeyedWindows k(1);
  EXPECT_TRUE(k.arrive("a", t0));
  EXPECT_TRUE(k.arrive("b", t0));
  EXPECT_FALSE(k.arrive("a", t0 + milliseconds(1)));
}

}  // namespace
}  // namespace coinw::sim
