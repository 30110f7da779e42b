#include "ratelimit/rate_gate.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/fake_clock.h"

namespace coinw::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(RateGate, TakesAPermitFromEveryLimiterAtOnce) {
  testing::FakeClock clock;
  RateGate gate(clock);
  auto* endpoint = gate.limiter("ep", {5, 1s, 0ms});
  auto* global = gate.limiter("global", {2, 1s, 0ms});
  const auto t0 = clock.now();
  for (int i = 0; i < 2; ++i) {
    auto a = gate.acquire({endpoint, global}, t0 + 1h);
    ASSERT_TRUE(a.permit);
  }
  // The stricter global limit decides: the third waits a window (in fake time).
  auto a = gate.acquire({endpoint, global}, t0 + 1h);
  ASSERT_TRUE(a.permit);
  EXPECT_EQ(clock.now(), t0 + 1s);
  EXPECT_EQ(a.waited, 1s);
}

TEST(RateGate, SameKeySameLimiter) {
  testing::FakeClock clock;
  RateGate gate(clock);
  EXPECT_EQ(gate.limiter("k", {5, 1s, 0ms}), gate.limiter("k", {9, 1s, 0ms}));
  EXPECT_NE(gate.limiter("k", {5, 1s, 0ms}), gate.limiter("other", {5, 1s, 0ms}));
}

// A reload with new limits (issue 9): the key's limiter takes them at once and
// keeps counting what was already sent.
TEST(RateGate, NewSpecForAKeyTakesEffectAtOnce) {
  testing::FakeClock clock;
  RateGate gate(clock);
  auto* before = gate.limiter("k", {5, 1s, 0ms});
  const auto t0 = clock.now();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(gate.acquire({before}, t0 + 1h).permit);
  EXPECT_EQ(clock.now(), t0);
  auto* after = gate.limiter("k", {2, 1s, 0ms});
  EXPECT_EQ(after, before);
  EXPECT_EQ(after->max_requests(), 2);
  ASSERT_TRUE(gate.acquire({after}, t0 + 1h).permit);
  EXPECT_EQ(clock.now(), t0 + 1s) << "the two requests sent under the old limit count against the new one";
}

TEST(RateGate, RefusesPastTheDeadlineWithoutWaiting) {
  testing::FakeClock clock;
  RateGate gate(clock);
  auto* l = gate.limiter("ep", {1, 1s, 0ms});
  ASSERT_TRUE(gate.acquire({l}, clock.now() + 1h).permit);
  const auto before = clock.now();
  auto a = gate.acquire({l}, before + 500ms);
  EXPECT_FALSE(a.permit);
  EXPECT_EQ(a.refusal, Refusal::over_budget);
  EXPECT_EQ(clock.now(), before) << "a refusal must not sleep";
  gate.pause(l, before + 30s);
  auto p = gate.acquire({l}, before + 10s);
  EXPECT_FALSE(p.permit);
  EXPECT_EQ(p.refusal, Refusal::paused);
  EXPECT_EQ(gate.paused_until(l), before + 30s);
}

// A one-per-window limiter whose slot is held by a request not yet answered.
class HeldSlot : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(held); }
  testing::FakeClock clock;
  RateGate gate{clock};
  WindowLimiter* l = gate.limiter("ep", {1, 1s, 0ms});
  std::optional<Permit> held = std::move(gate.acquire({l}, clock.now() + 1h).permit);
};

TEST_F(HeldSlot, AnUnfinishedPermitBlocksUntilFinished) {
  std::thread t([&] {
    clock.advance(3s);
    held->finish();
  });
  auto a = gate.acquire({l}, clock.now() + 1h);
  t.join();
  ASSERT_TRUE(a.permit);
  EXPECT_GE(clock.now(), TimePoint{} + 1000s + 4s) << "one window after the late answer";
}

// The header's promise holds while an unanswered request holds the slot too:
// the wait ends at the deadline, with a refusal.
TEST_F(HeldSlot, AnUnansweredRequestIsAwaitedOnlyUntilTheDeadline) {
  const auto deadline = clock.now() + 500ms;
  std::thread t([&] {  // once acquire waits, time passes and no answer comes
    while (clock.waiters() == 0) std::this_thread::yield();
    clock.advance(600ms);
  });
  auto a = gate.acquire({l}, deadline);
  t.join();
  EXPECT_FALSE(a.permit);
  EXPECT_EQ(a.refusal, Refusal::over_budget);
  EXPECT_GE(a.waited, 500ms);
  held->finish();
}

}  // namespace
}  // namespace coinw::ratelimit
