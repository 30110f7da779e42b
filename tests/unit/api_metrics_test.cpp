#include "collect/api_metrics.h"

#include <gtest/gtest.h>

#include "log/log.h"

namespace coinw::collect {
namespace {

std::vector<std::string>& lines() {
  static std::vector<std::string> l;
  return l;
}

class ApiMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lines().clear();
    log::set_sink([](const std::string& line) { lines().push_back(line); });
  }
  void TearDown() override { log::set_sink(nullptr); }
  std::string render() const {
    exposition::FamilySet out;
    metrics.collect(out, {{"account", "main"}});
    return out.render();
  }
  ApiMetrics metrics{"main"};
};

TEST_F(ApiMetricsTest, SignatureFallbacksStartAtZero) {
  EXPECT_NE(render().find("coinw_api_signature_fallbacks_total{account=\"main\"} 0\n"), std::string::npos);
  EXPECT_TRUE(lines().empty());
}

TEST_F(ApiMetricsTest, ASignatureFallbackIsCountedAndLoggedOnceWithTheAccount) {
  metrics.on_signature_fallback(api::Endpoint::invitee_assets);
  EXPECT_NE(render().find("coinw_api_signature_fallbacks_total{account=\"main\"} 1\n"), std::string::npos);
  render();
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_NE(lines()[0].find("level=warn"), std::string::npos) << lines()[0];
  EXPECT_NE(lines()[0].find("account=main"), std::string::npos) << lines()[0];
}

TEST_F(ApiMetricsTest, ClockSkewIsAbsentUntilAnAnswerHadADateThenTheLatest) {
  EXPECT_EQ(render().find("coinw_api_clock_skew_seconds"), std::string::npos) << "no guess before a measurement";
  metrics.on_clock_skew(api::Endpoint::invitee_assets, 3.25);
  metrics.on_clock_skew(api::Endpoint::sub_account_list, -41.5);
  EXPECT_NE(render().find("coinw_api_clock_skew_seconds{account=\"main\"} -41.5\n"), std::string::npos) << render();
}

}  // namespace
}  // namespace coinw::collect
