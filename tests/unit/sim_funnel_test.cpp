// The simulator's funnel endpoints (sim/funnel.h), without HTTP.
#include "sim/funnel.h"

#include <gtest/gtest.h>

#include <set>

#include "common/timefmt.h"

namespace coinw::sim {
namespace {

const int64_t kNow = parse_coinw_time("2026-12-01 10:00:00", 0).value();

class SimFunnel : public ::testing::Test {
 protected:
  Dataset data_{42, 40, 0, Anchor{kNow, 0}};
  Rendering r_;
};

TEST_F(SimFunnel, WithoutARangeTheListIsTheCurrentMonthOnly) {
  auto q = std::get<RegistrationQuery>(parse_registration_query({}, 0, kNow, 0));
  EXPECT_EQ(q.start, parse_coinw_time("2026-12-01 00:00:00", 0));
  EXPECT_EQ(q.end, kNow);
  const int64_t uid = data_.add_signup(kNow - 60);
  auto body = nlohmann::json::parse(registration_list_body(data_, q, r_));
  ASSERT_EQ(body["data"]["list"].size(), 1u) << "the seeded sign-ups are older";
  EXPECT_EQ(body["data"]["list"][0]["uid"], uid);
  EXPECT_EQ(body["data"]["list"][0]["registerTime"], "2026-12-01 09:59:00");
}

TEST_F(SimFunnel, NewestSignUpFirstAndLongRangesRefusedWhenLimited) {
  const api::QueryParams wide{
      {"startTime", "2017-01-01 00:00:00"}, {"endTime", "2026-12-02 00:00:00"}, {"pageSize", "5000"}};
  auto q = std::get<RegistrationQuery>(parse_registration_query(wide, 0, kNow, 0));
  EXPECT_EQ(q.page_size, 1000) << "capped at the documented maximum";
  auto list = nlohmann::json::parse(registration_list_body(data_, q, r_))["data"]["list"];
  ASSERT_EQ(list.size(), 40u);
  for (size_t i = 1; i < list.size(); ++i)
    EXPECT_GE(list[i - 1]["registerTime"].get<std::string>(), list[i]["registerTime"].get<std::string>());
  auto refused = parse_registration_query(wide, 0, kNow, 31);
  ASSERT_TRUE(std::holds_alternative<ParamError>(refused));
  EXPECT_EQ(std::get<ParamError>(refused).code, kBadParam);
}

TEST_F(SimFunnel, TheVolumeBodyIsRequiredAndItsDatesDefaultToThirtyDays) {
  EXPECT_TRUE(std::holds_alternative<ParamError>(parse_volume_body("", 0, kNow))) << "the docs require {}";
  auto q = std::get<VolumeQuery>(parse_volume_body("{}", 0, kNow));
  EXPECT_EQ(q.last_day, local_day(kNow, 0));
  EXPECT_EQ(q.last_day - q.first_day + 1, 30);
  q = std::get<VolumeQuery>(
      parse_volume_body(R"({"pageNo":"2","pageSize":10,"startTime":"2026-11-01","endTime":"2026-11-30"})", 0, kNow));
  EXPECT_EQ(q.page_no, 2);
  EXPECT_TRUE(std::holds_alternative<ParamError>(parse_volume_body(R"({"startTime":"2026-11-31"})", 0, kNow)));
  EXPECT_TRUE(std::holds_alternative<ParamError>(parse_volume_body(R"({"pageNo":1.5})", 0, kNow)));
  const auto month = R"({"startTime":"2026-11-01","endTime":"2026-11-30"})";
  EXPECT_TRUE(std::holds_alternative<ParamError>(parse_volume_body(month, 0, kNow, 29)))
      << "30 days over a 29-day limit";
  EXPECT_TRUE(std::holds_alternative<VolumeQuery>(parse_volume_body(month, 0, kNow, 30)));
}

TEST_F(SimFunnel, VolumeRowsAreNewestDayFirstAndMatchTheDataset) {
  VolumeQuery q;
  q.first_day = local_day(kNow, 0) - 40;
  q.last_day = local_day(kNow, 0);
  q.page_size = 1000;
  auto body = nlohmann::json::parse(volume_list_body(data_, q, r_));
  const auto& list = body["data"]["list"];
  ASSERT_GT(list.size(), 10u) << "the anchor makes some invitees trade";
  EXPECT_EQ(body["data"]["total"], list.size());
  for (size_t i = 1; i < list.size(); ++i)
    EXPECT_GE(list[i - 1]["time"].get<std::string>(), list[i]["time"].get<std::string>());
  const auto& first = list[0];
  const int32_t day = parse_coinw_date(first["time"].get<std::string>()).value();
  EXPECT_EQ(parse_amount(first["volume"].get<std::string>()), data_.volumes().at({day, first["uid"].get<int64_t>()}));
  EXPECT_FALSE(data_.book_trade(1, day, 5)) << "an unknown uid";
}

// A CoinW that reports a day only once it has closed (--api.check tells it apart).
TEST_F(SimFunnel, ClosedDaysOnlyLeavesTodayOut) {
  auto q = std::get<VolumeQuery>(parse_volume_body("{}", 0, kNow));
  const int64_t uid = data_.signups().front().uid;
  ASSERT_TRUE(data_.book_trade(uid, q.today, 500));
  ASSERT_TRUE(data_.book_trade(uid, q.today - 1, 500));
  auto days = [&] {
    std::set<std::string> out;
    const auto body = nlohmann::json::parse(volume_list_body(data_, q, r_));
    for (const auto& row : body["data"]["list"]) out.insert(row["time"].get<std::string>());
    return out;
  };
  EXPECT_TRUE(days().count("2026-12-01"));
  r_.drift.volume_closed_days_only = true;
  EXPECT_FALSE(days().count("2026-12-01"));
  EXPECT_TRUE(days().count("2026-11-30")) << "closed days stay";
}

}  // namespace
}  // namespace coinw::sim
