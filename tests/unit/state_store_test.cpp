#include "collect/state_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "log/log.h"

namespace coinw::collect {
namespace {

namespace fs = std::filesystem;

AccountState sample() {
  AccountState s;
  s.account = "main";
  s.invitees_fetched = WallTime(std::chrono::milliseconds(1'764'500'000'123));
  s.sub_accounts_fetched = WallTime(std::chrono::milliseconds(1'764'500'001'000));
  QuoteState q;
  q.quote = "usdt";
  q.complete = s.invitees_fetched;
  InviteeRow r1;
  r1.uid = 10;
  r1.total_deposit = 15000.5;
  r1.current_balance = 0;
  r1.update_time = 1'700'000'000;
  InviteeRow r2;
  r2.uid = 12;
  q.book.rows = {r1, r2};
  q.book.reported = 3;
  q.book.removed = 7;
  q.book.totals = PassTotals{2, 15000.5, 0, 0, 1};
  s.quotes.push_back(q);
  api::SubAccount sub;
  sub.uid = 99;
  sub.user_code = "U99";
  sub.nick_name = "j***@***.com";
  sub.frozen = true;
  sub.spot_trade_enabled = true;
  sub.contract_trade_known = false;
  s.sub_accounts.push_back(sub);
  return s;
}

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("coinw-state-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    log::set_sink([](const std::string& line) { warnings().push_back(line); });
    warnings().clear();
  }
  void TearDown() override {
    log::set_sink(nullptr);
    fs::remove_all(dir_);
  }
  static std::vector<std::string>& warnings() {
    static std::vector<std::string> w;
    return w;
  }
  fs::path dir_;
};

TEST_F(StateStoreTest, RoundTripKeepsEveryValue) {
  StateStore store(dir_);
  ASSERT_TRUE(store.write(sample()));
  auto back = store.load("main");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->invitees_fetched, sample().invitees_fetched);
  EXPECT_EQ(back->sub_accounts_fetched, sample().sub_accounts_fetched);
  ASSERT_EQ(back->quotes.size(), 1u);
  const auto& q = back->quotes[0];
  EXPECT_EQ(q.quote, "usdt");
  EXPECT_EQ(q.complete, sample().invitees_fetched);
  ASSERT_EQ(q.book.rows.size(), 2u);
  EXPECT_EQ(q.book.rows[0].uid, 10u);
  EXPECT_DOUBLE_EQ(q.book.rows[0].total_deposit, 15000.5);
  EXPECT_TRUE(std::isnan(q.book.rows[0].total_withdrawal));
  EXPECT_EQ(q.book.rows[0].update_time, 1'700'000'000);
  EXPECT_EQ(q.book.rows[0].first_deposit_time, kNoTime);
  EXPECT_EQ(q.book.reported, 3);
  EXPECT_EQ(q.book.removed, 7u);
  EXPECT_DOUBLE_EQ(q.book.totals->deposits, 15000.5);
  ASSERT_EQ(back->sub_accounts.size(), 1u);
  const auto& sub = back->sub_accounts[0];
  EXPECT_EQ(sub.nick_name, "j***@***.com");
  EXPECT_TRUE(sub.frozen);
  EXPECT_TRUE(sub.spot_trade_known && sub.spot_trade_enabled);
  EXPECT_FALSE(sub.contract_trade_known);
}

TEST_F(StateStoreTest, FilesAreWrittenAtomicallyWithMode0600) {
  StateStore store(dir_);
  store.save(sample());
  store.flush();
  const auto path = store.path_for("main");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  EXPECT_EQ(path.filename(), "account-main.json");
}

TEST_F(StateStoreTest, BadFilesAreReportedByNameAndIgnored) {
  StateStore store(dir_);
  ASSERT_TRUE(store.write(sample()));
  const auto path = store.path_for("main");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto with = [&](const std::string& content) {
    std::ofstream(path, std::ios::trunc) << content;
    warnings().clear();
    auto s = store.load("main");
    EXPECT_EQ(warnings().size(), 1u);
    if (!warnings().empty()) {
      EXPECT_NE(warnings()[0].find(path.string()), std::string::npos) << warnings()[0];
    }
    return s;
  };
  EXPECT_FALSE(with(text.substr(0, text.size() / 2))) << "truncated";
  EXPECT_FALSE(with("")) << "empty";
  EXPECT_FALSE(with("\x01garbage")) << "corrupt";
  std::string other = text;
  other.replace(other.find("\"version\":1"), 11, "\"version\":2");
  EXPECT_FALSE(with(other)) << "another version";
  std::string foreign = text;
  foreign.replace(foreign.find("\"account\":\"main\""), 16, "\"account\":\"else\"");
  EXPECT_FALSE(with(foreign)) << "another account's file";
  std::string unordered = text;
  unordered.replace(unordered.find("[12,"), 4, "[1,");
  EXPECT_FALSE(with(unordered)) << "rows out of uid order";
  fs::remove(path);
  warnings().clear();
  EXPECT_FALSE(store.load("main")) << "missing";
  EXPECT_EQ(warnings().size(), 1u);
}

TEST_F(StateStoreTest, NothingButTheStateIsWritten) {
  StateStore store(dir_);
  ASSERT_TRUE(store.write(sample()));
  std::ifstream in(store.path_for("main"));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("\"version\":1"), std::string::npos);
  for (const char* absent : {"api_key", "secret", "password"}) EXPECT_EQ(text.find(absent), std::string::npos);
}

}  // namespace
}  // namespace coinw::collect
