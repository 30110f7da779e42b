// Reloads in virtual time, through the exporter and the transport seam.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "exporter/exporter.h"
#include "support/exposition.h"
#include "support/fake_clock.h"
#include "support/fake_coinw.h"

namespace coinw::exporter {
namespace {

using namespace std::chrono_literals;

config::Config one_account(int invitee_assets_per_second) {
  config::Config c;
  c.global.rate_limits.invitee_assets_per_second = invitee_assets_per_second;
  config::AccountConfig a;
  a.name = "main";
  a.api_key = "AK-0123456789";
  a.secret_key = "SK-0123456789";
  a.invitee_assets.page_size = 1;
  a.sub_accounts.enabled = false;
  c.accounts.push_back(a);
  return c;
}

// Issue 9: a reload that lowers rate_limits used to keep the old limiter.
TEST(ExporterReload, NewRateLimitsTakeEffectAtOnce) {
  testing::FakeClock clock;
  testing::FakeCoinw coinw(clock, 20, 0);
  Exporter exp(clock, [&](const api::TransportOptions&) { return coinw.transport(); });
  exp.apply(one_account(5));
  exp.metrics({});
  const auto before = coinw.sent();
  ASSERT_EQ(before.size(), 21u) << "one pass of 20 full pages and the empty one within the default 10 s budget";
  exp.apply(one_account(1));
  exp.metrics({});
  const auto all = coinw.sent();
  ASSERT_GT(all.size(), before.size() + 1);
  EXPECT_GE(all[before.size()].at - before.back().at, 1s) << "requests sent before the reload still count";
  for (size_t i = before.size() + 1; i < all.size(); ++i) EXPECT_GE(all[i].at - all[i - 1].at, 1s) << i;
}

TEST(ExporterReload, AReloadThatReplacesAnAccountCancelsItsRefreshWithinOneRequest) {
  testing::FakeClock clock;
  testing::FakeCoinw coinw(clock, 1000, 0);
  Exporter exp(clock, [&](const api::TransportOptions&) { return coinw.transport(); });
  auto config = one_account(5);
  config.accounts[0].invitee_assets.page_size = 10;  // a hundred requests a pass
  exp.apply(config);
  coinw.hold_after(20);
  web::ScrapeRequest r;
  r.timeout_seconds = 1;
  exp.metrics(r);  // answered mid-pass; the refresh goes on
  ASSERT_TRUE(coinw.wait_for_requests(21)) << "the 21st request is in flight";
  config.accounts[0].invitee_assets.page_size = 20;
  std::thread reload([&] { exp.apply(config); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  coinw.release();
  reload.join();
  EXPECT_EQ(coinw.sent().size(), 21u) << "the replaced account's request in flight is its last";
}

class ExporterReloadFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("coinw-reload-" + std::to_string(::getpid()) + ".yml");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  testing::Series self(Exporter& exp) {
    web::ScrapeRequest r;
    r.collect = {"exporter"};
    return testing::parse_exposition(exp.metrics(r).joined());
  }
  static constexpr const char* kGood =
      "accounts:\n  - name: main\n    api_key: AK-0123456789\n    secret_key: SK-0123456789\n"
      "    invitee_assets: {enabled: false}\n    sub_accounts: {enabled: false}\n";

  std::filesystem::path path_;
  testing::FakeClock clock_;
  testing::FakeCoinw coinw_{clock_, 0, 0};
  Exporter exp_{clock_, [this](const api::TransportOptions&) { return coinw_.transport(); }};
};

TEST_F(ExporterReloadFile, AGoodFileIsAppliedAndRecorded) {
  write(kGood);
  const auto r = exp_.reload(path_.string());
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(exp_.ready());
  auto s = self(exp_);
  EXPECT_EQ(s["coinw_exporter_config_last_reload_successful"], 1);
  EXPECT_EQ(s["coinw_exporter_config_last_reload_success_timestamp_seconds"], 1700000000);
  EXPECT_NE(exp_.landing_page().find("<td>main</td>"), std::string::npos);
}

TEST_F(ExporterReloadFile, ABadFileKeepsTheRunningConfigurationAndSaysWhy) {
  write(kGood);
  ASSERT_TRUE(exp_.reload(path_.string()).ok);
  clock_.advance(std::chrono::seconds(5));
  write(
      "accounts:\n  - name: main\n    api_key: AK-0123456789\n    secret_key: SK-0123456789\n"
      "    invitee_assets: {page_size: 5000}\n");
  const auto r = exp_.reload(path_.string());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("invitee_assets.page_size"), std::string::npos) << r.message;
  EXPECT_EQ(r.message.find("SK-0123456789"), std::string::npos) << "never a secret";
  auto s = self(exp_);
  EXPECT_EQ(s["coinw_exporter_config_last_reload_successful"], 0);
  EXPECT_EQ(s["coinw_exporter_config_last_reload_success_timestamp_seconds"], 1700000000) << "the last good one";
  EXPECT_TRUE(exp_.ready()) << "still serving the previous configuration";
  EXPECT_NE(exp_.landing_page().find("<td>main</td>"), std::string::npos);
}

TEST_F(ExporterReloadFile, AMissingFileIsAFailedReload) {
  const auto r = exp_.reload(path_.string() + ".missing");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(exp_.ready()) << "nothing has loaded yet";
  EXPECT_EQ(self(exp_)["coinw_exporter_config_last_reload_successful"], 0);
}

}  // namespace
}  // namespace coinw::exporter
