#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/faults.h"

namespace coinw::sim {
namespace {

TEST(SimFaultInjector, StormsLastExactlyTheirLength) {
  FaultInjector inj(42);
  inj.configure({1.0, {"storm", "empty"}, 0, 4});
  // Every run of storm answers is made of whole storms of 4.
  int run = 0, storms = 0, empties = 0;
  for (int i = 0; i < 400; ++i) {
    auto k = inj.next();
    ASSERT_TRUE(k);
    if (*k == FaultKind::storm) {
      ++run;
      continue;
    }
    ++empties;
    EXPECT_EQ(run % 4, 0) << "at " << i;
    storms += run / 4;
    run = 0;
  }
  EXPECT_GT(storms, 10);
  EXPECT_GT(empties, 10);
}

TEST(SimFaultInjector, RateZeroNeverFiresAndRateIsRoughlyHonoured) {
  FaultInjector off(1);
  off.configure({0.0, {"http500"}, 0, 1});
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(off.next());
  FaultInjector some(1);
  some.configure({0.2, {"http500"}, 0, 1});
  int fired = 0;
  for (int i = 0; i < 10000; ++i) fired += some.next().has_value();
  EXPECT_GT(fired, 1700);
  EXPECT_LT(fired, 2300);
}

TEST(SimFaultInjector, RejectsUnknownKindsAndBadRates) {
  FaultInjector inj(1);
  EXPECT_THROW(inj.configure({0.5, {"gremlins"}, 0, 1}), std::invalid_argument);
  EXPECT_THROW(inj.configure({1.5, {"html"}, 0, 1}), std::invalid_argument);
  EXPECT_THROW(inj.configure({0.5, {}, 0, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace coinw::sim
