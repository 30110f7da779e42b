// The state file: an account's data survives a restart byte for byte, the file
// is written atomically and holds nothing secret, a bad file is reported and
// ignored, no file yet is not a failure, and files of the first format version
// still read.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "collect/account.h"
#include "collect/state_codec.h"
#include "log/log.h"
#include "support/exposition.h"
#include "support/fake_clock.h"
#include "support/fake_coinw.h"

namespace coinw::collect {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::count_prefix;
using testing::parse_exposition;

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("coinw-state-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    log::set_sink([](const std::string& line) { lines().push_back(line); });
    lines().clear();
  }
  void TearDown() override {
    log::set_sink(nullptr);
    fs::remove_all(dir_);
  }
  static std::vector<std::string>& lines() {
    static std::vector<std::string> l;
    return l;
  }
  size_t warnings() const {
    size_t n = 0;
    for (const auto& l : lines()) n += l.find("level=warn") != std::string::npos;
    return n;
  }
  std::unique_ptr<AccountCollector> make(std::shared_ptr<StateDir> dir) {
    config::AccountConfig a;
    a.name = "main";
    a.api_key = "AK-0123456789";
    a.secret_key = "SK-0123456789";
    a.invitee_assets.page_size = 5;
    auto c = std::make_unique<AccountCollector>(a, derive_client_settings(config::GlobalConfig{}, a), gate_, clock_,
                                                [this] { return coinw_.transport(); });
    c->use_state(std::move(dir));
    return c;
  }
  std::string render(const AccountCollector& c) const {
    exposition::FamilySet out;
    c.collect_data(out, c.data_key(settings_));
    return out.render();
  }
  double load_failures(const AccountCollector& c) const {
    exposition::FamilySet out;
    c.collect_health(out);
    return parse_exposition(out.render())["coinw_state_load_failures_total{account=\"main\"}"];
  }
  std::string file_text() const {
    std::ifstream in(dir_ / "account-main.json");
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  // A refreshed account's file.
  std::string saved() {
    auto dir = std::make_shared<StateDir>(dir_);
    auto c = make(dir);
    c->refresh(clock_.now() + 1h, settings_);
    dir->flush();
    return render(*c);
  }

  fs::path dir_;
  testing::FakeClock clock_;
  ratelimit::RateGate gate_{clock_};
  testing::FakeCoinw coinw_{clock_, 12, 3};
  ExposeSettings settings_{config::NickNamePolicy::masked, 15min};
};

TEST_F(StateFileTest, ARestartServesEveryValueWithoutARequest) {
  const std::string before = saved();
  ASSERT_NE(count_prefix(parse_exposition(before), "coinw_invitee_total_deposit{"), 0u);
  const size_t sent = coinw_.sent().size();
  auto dir = std::make_shared<StateDir>(dir_);
  auto c = make(dir);
  c->restore_state(settings_.staleness_limit);
  // Change counters count from the first poll of each run: all else is as it was.
  auto without_counters = [](const std::string& text) {
    std::istringstream in(text);
    std::string out;
    for (std::string line; std::getline(in, line);)
      if (line.find("_changes_total") == std::string::npos) out += line + "\n";
    return out;
  };
  EXPECT_EQ(without_counters(render(*c)), without_counters(before));
  clock_.advance(1ms);
  c->refresh(clock_.now() + 1h, settings_);
  EXPECT_EQ(coinw_.sent().size(), sent) << "restored data counts from its original fetch time";
  EXPECT_EQ(load_failures(*c), 0);
}

TEST_F(StateFileTest, TooOldValuesAreNotRestored) {
  saved();
  clock_.advance(settings_.staleness_limit + 1s);
  auto c = make(std::make_shared<StateDir>(dir_));
  c->restore_state(settings_.staleness_limit);
  EXPECT_EQ(render(*c), "");
}

TEST_F(StateFileTest, FilesAreWrittenAtomicallyWithMode0600AndNothingSecret) {
  saved();
  const auto path = dir_ / "account-main.json";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  const std::string text = file_text();
  EXPECT_NE(text.find("\"version\":1"), std::string::npos);
  for (const char* absent : {"AK-0123456789", "SK-0123456789", "api_key", "secret", "password"})
    EXPECT_EQ(text.find(absent), std::string::npos) << absent;
}

TEST_F(StateFileTest, NoFileYetIsNotAFailure) {
  auto c = make(std::make_shared<StateDir>(dir_));
  c->restore_state(settings_.staleness_limit);
  EXPECT_EQ(load_failures(*c), 0);
  EXPECT_EQ(warnings(), 0u);
}

TEST_F(StateFileTest, BadFilesAreReportedByNameCountedAndIgnored) {
  saved();
  const std::string text = file_text();
  const auto path = dir_ / "account-main.json";
  auto with = [&](const std::string& content) {
    std::ofstream(path, std::ios::trunc) << content;
    lines().clear();
    auto c = make(std::make_shared<StateDir>(dir_));
    c->restore_state(settings_.staleness_limit);
    EXPECT_EQ(warnings(), 1u);
    if (!lines().empty()) {
      EXPECT_NE(lines()[0].find(path.string()), std::string::npos) << lines()[0];
    }
    EXPECT_EQ(load_failures(*c), 1);
    return render(*c);
  };
  EXPECT_EQ(with(text.substr(0, text.size() / 2)), "") << "truncated";
  EXPECT_EQ(with(""), "") << "empty";
  EXPECT_EQ(with("\x01garbage"), "") << "corrupt";
  EXPECT_EQ(with(R"({"format":7})"), "") << "a format that is not a string";
  std::string other = text;
  other.replace(other.find("\"version\":1"), 11, "\"version\":2");
  EXPECT_EQ(with(other), "") << "another version";
  std::string foreign = text;
  foreign.replace(foreign.find("\"account\":\"main\""), 16, "\"account\":\"else\"");
  EXPECT_EQ(with(foreign), "") << "another account's file";
  std::string unordered = text;
  unordered.replace(unordered.find("[1005,"), 6, "[1,");
  const auto partial = parse_exposition(with(unordered));
  EXPECT_EQ(count_prefix(partial, "coinw_invitee_total_deposit{"), 0u) << "invitee rows out of uid order";
  EXPECT_EQ(partial.count("coinw_sub_accounts{account=\"main\"}"), 1u) << "the other collector's slice still reads";
}

// As the first version of the format wrote it (before collectors had slices).
TEST(StateCodec, AFileOfTheFirstVersionStillReads) {
  const std::string v1 =
      R"({"account":"main","format":"coinw-exporter-state","invitees":{"fetched_at_ns":1764500000123000000,)"
      R"("quotes":{"usdt":{"complete_at_ns":1764500000123000000,"removed":7,"reported":3,"rows":[[10,15000.5,null,0.0,)"
      R"(null,null,1700000000],[12,null,null,null,null,null,null]],"totals":{"balance":0.0,"deposits":15000.5,)"
      R"("depositors":1.0,"invitees":2,"withdrawals":0.0}}}},"sub_accounts":{"fetched_at_ns":1764500001000000000,)"
      R"("rows":[{"contract_trade":null,"frozen":1,"nick_name":"j***@***.com","spot_trade":1,"uid":99,)"
      R"("user_code":"U99"}]},"version":1,"windows":[],"written_at_ns":1764500002000000000})";
  std::string error;
  const auto file = decode_state(v1, "main", error);
  ASSERT_TRUE(file) << error;
  testing::FakeClock clock;
  clock.set_wall(WallTime(std::chrono::seconds(1'764'500'060)));
  config::AccountConfig a;
  a.name = "main";
  auto collectors = make_collectors(a, 0);
  const RestoreContext r{Now{clock.now(), clock.wall_now()}, std::chrono::minutes(15)};
  exposition::FamilySet out;
  for (auto& c : collectors) {
    if (c->name() == "sub_account_api_keys") {  // a collector added later: nothing of it in the file
      EXPECT_FALSE(c->restore(*file, r));
      continue;
    }
    ASSERT_TRUE(c->restore(*file, r)) << c->name();
    c->collect(out, RenderContext{{{"account", "main"}}, true, config::NickNamePolicy::masked});
  }
  auto s = parse_exposition(out.render());
  EXPECT_EQ(s["coinw_invitee_total_deposit{account=\"main\",quote=\"usdt\",uid=\"10\"}"], 15000.5);
  EXPECT_EQ(s["coinw_invitee_balance_update_timestamp_seconds{account=\"main\",quote=\"usdt\",uid=\"10\"}"], 1.7e9);
  EXPECT_EQ(s["coinw_invitees_reported{account=\"main\",quote=\"usdt\"}"], 3);
  EXPECT_EQ(s["coinw_invitees_removed_total{account=\"main\",quote=\"usdt\"}"], 7);
  EXPECT_EQ(s["coinw_invitees_depositors{account=\"main\",quote=\"usdt\"}"], 1);
  EXPECT_EQ(s["coinw_sub_account_frozen{account=\"main\",uid=\"99\"}"], 1);
  EXPECT_EQ(s["coinw_sub_account_spot_trade_enabled{account=\"main\",uid=\"99\"}"], 1);
  EXPECT_EQ(s.count("coinw_sub_account_contract_trade_enabled{account=\"main\",uid=\"99\"}"), 0u);
  EXPECT_EQ(s["coinw_sub_account_info{account=\"main\",uid=\"99\",user_code=\"U99\",nick_name=\"j***@***.com\"}"], 1);
}

}  // namespace
}  // namespace coinw::collect
