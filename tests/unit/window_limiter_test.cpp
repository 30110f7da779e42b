#include "ratelimit/window_limiter.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace coinw::ratelimit {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{std::chrono::seconds(100)};

TEST(WindowLimiter, FirstNRequestsGoAtOnce) {
  WindowLimiter l(3, 1s, 0ms);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(l.earliest(t0), t0);
    l.on_complete(l.on_send(t0), t0);
  }
  EXPECT_EQ(l.earliest(t0), t0 + 1s);
}

TEST(WindowLimiter, WaitsAWindowAfterTheAnswerNotTheSend) {
  WindowLimiter l(1, 1s, 10ms);
  auto id = l.on_send(t0);
  EXPECT_EQ(l.earliest(t0 + 5s), std::nullopt) << "unanswered request must block";
  l.on_complete(id, t0 + 300ms);
  EXPECT_EQ(l.earliest(t0 + 400ms), t0 + 1310ms);
  EXPECT_EQ(l.earliest(t0 + 2s), t0 + 2s);
}

TEST(WindowLimiter, LatestAnswerAmongOlderRequestsCounts) {
  // Request 0 is answered after request 1; the third send must respect request 0.
  WindowLimiter l(2, 1s, 0ms);
  auto a = l.on_send(t0);
  auto b = l.on_send(t0);
  l.on_complete(b, t0 + 10ms);
  l.on_complete(a, t0 + 500ms);
  EXPECT_EQ(l.earliest(t0), t0 + 1500ms);
  l.on_complete(l.on_send(t0 + 1500ms), t0 + 1500ms);
  // Request 0 has left the last two, but its answer still bounds the next send.
  EXPECT_EQ(l.earliest(t0), t0 + 1500ms);
}

TEST(WindowLimiter, PauseDelaysEverything) {
  WindowLimiter l(5, 1s, 0ms);
  l.pause_until(t0 + 30s);
  EXPECT_EQ(l.earliest(t0), t0 + 30s);
  EXPECT_EQ(l.paused_until(t0), t0 + 30s);
  EXPECT_EQ(l.paused_until(t0 + 31s), std::nullopt);
  l.pause_until(t0 + 10s);  // a shorter pause never shortens the current one
  EXPECT_EQ(l.earliest(t0), t0 + 30s);
}

// A reload to a lower limit holds from its first request: requests sent under
// the old limit still count.
TEST(WindowLimiter, LowerLimitCountsRequestsAlreadySent) {
  WindowLimiter l(5, 1s, 0ms);
  for (int i = 0; i < 5; ++i) l.on_complete(l.on_send(t0), t0 + 100ms);
  l.reconfigure(2, 1s, 0ms);
  EXPECT_EQ(l.earliest(t0 + 100ms), t0 + 1100ms);
  l.on_complete(l.on_send(t0 + 1100ms), t0 + 1200ms);
  EXPECT_EQ(l.earliest(t0 + 1200ms), t0 + 1200ms) << "one of the two slots is free again";
  l.on_complete(l.on_send(t0 + 1200ms), t0 + 1300ms);
  EXPECT_EQ(l.earliest(t0 + 1300ms), t0 + 2200ms);
}

TEST(WindowLimiter, LowerLimitWaitsForUnansweredRequests) {
  WindowLimiter l(3, 1s, 0ms);
  auto a = l.on_send(t0);
  l.on_send(t0);
  l.reconfigure(1, 1s, 0ms);
  l.on_complete(a, t0 + 10ms);
  EXPECT_EQ(l.earliest(t0 + 20ms), std::nullopt) << "the second request is still in flight";
}

TEST(WindowLimiter, HigherLimitTakesEffectAtOnce) {
  WindowLimiter l(1, 1s, 0ms);
  l.on_complete(l.on_send(t0), t0);
  EXPECT_EQ(l.earliest(t0), t0 + 1s);
  l.reconfigure(3, 1s, 0ms);
  EXPECT_EQ(l.earliest(t0), t0);
  EXPECT_THROW(l.reconfigure(0, 1s, 0ms), std::invalid_argument);
}

TEST(WindowLimiter, RejectsZeroLimit) { EXPECT_THROW(WindowLimiter(0, 1s, 0ms), std::invalid_argument); }

// The guarantee itself: with requests arriving anywhere between send and answer
// (adversarial and random), no closed 1 s window ever holds more than N arrivals.
TEST(WindowLimiter, NoWindowEverHoldsMoreThanNArrivals) {
  for (int n : {1, 3, 5}) {
    std::mt19937 rng(static_cast<unsigned>(n));
    std::uniform_int_distribution<int> latency_ms(0, 400), concurrency(1, 4);
    WindowLimiter l(n, 1s, 1ms);
    TimePoint now = t0;
    std::vector<TimePoint> arrivals;
    struct InFlight {
      uint64_t id;
      TimePoint send, answer;
    };
    std::vector<InFlight> flying;
    for (int step = 0; step < 3000; ++step) {
      // Send as many as allowed, up to a random concurrency.
      while (static_cast<int>(flying.size()) < concurrency(rng)) {
        auto e = l.earliest(now);
        if (!e || *e > now) break;
        auto id = l.on_send(now);
        flying.push_back({id, now, now + std::chrono::milliseconds(latency_ms(rng))});
      }
      // Advance to the next event: an answer or the next allowed send.
      TimePoint next = TimePoint::max();
      for (auto& f : flying) next = std::min(next, f.answer);
      if (auto e = l.earliest(now); e && *e > now) next = std::min(next, *e);
      if (next == TimePoint::max()) next = now + 1ms;
      now = std::max(now, next);
      for (auto it = flying.begin(); it != flying.end();) {
        if (it->answer <= now) {
          // Worst case for the window: the arrival at one end of [send, answer].
          arrivals.push_back(step % 2 ? it->send : it->answer);
          l.on_complete(it->id, it->answer);
          it = flying.erase(it);
        } else {
          ++it;
        }
      }
    }
    std::sort(arrivals.begin(), arrivals.end());
    ASSERT_GT(arrivals.size(), 100u);
    for (size_t i = static_cast<size_t>(n); i < arrivals.size(); ++i)
      ASSERT_GT(arrivals[i] - arrivals[i - static_cast<size_t>(n)], 1s) << "n=" << n << " i=" << i;
  }
}

}  // namespace
}  // namespace coinw::ratelimit
