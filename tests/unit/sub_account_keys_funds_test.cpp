// The sub-accounts' API keys and funds: the parsers, the client's guard against
// the commands that change things, and both collectors in virtual time against
// the simulator's endpoint logic (values checked against its dataset, costs
// against the requests it logged).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "api/parse.h"
#include "collect/account.h"
#include "collect/state_file.h"
#include "support/exposition.h"
#include "support/fake_clock.h"
#include "support/sim_transport.h"

namespace coinw::collect {
namespace {

using namespace std::chrono_literals;
using testing::count_prefix;
using testing::parse_exposition;
using testing::Series;

constexpr int64_t kUnit = 100'000'000;
const std::string kKey = "0123456789abcdef0123456789abcdef";

std::string api_key_body(const std::string& rows) {
  return R"({"code":"200","msg":"SUCCESS","success":true,"failed":false,"data":[)" + rows + "]}";
}

TEST(ApiKeyParse, TheKeyLeavesMaskedAndTheIpListOnlyCounted) {
  const auto r = api::parse_sub_account_api_keys(
      200, api_key_body(R"({"userCode":"u1","nickName":"n","apiRemark":"desk of bob","apiKey":")" + kKey +
                        R"(","createdAt":1700000000000,"readonlyFlag":0,"apiWhiteListFlag":1,"spotTradeFlag":1,)"
                        R"("contractTradeFlag":"0","apiWhiteList":"203.0.113.7,203.0.113.8"})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r.value().rows.size(), 1u);
  const auto& k = r.value().rows[0];
  EXPECT_EQ(k.key, "0123***cdef");
  EXPECT_EQ(k.user_code, "u1");
  EXPECT_EQ(k.whitelist_ips, 2u);
  EXPECT_EQ(k.created_ms, 1700000000000);
  EXPECT_EQ(k.read_only, false);
  EXPECT_EQ(k.ip_whitelist, true);
  EXPECT_EQ(k.spot_trade, true);
  EXPECT_EQ(k.contract_trade, false);
  EXPECT_EQ(api::mask_api_key("short123"), "sh***23");
  EXPECT_EQ(api::mask_api_key("tiny"), "***");
}

TEST(ApiKeyParse, UnreadableRowsAreCountedAndSkipped) {
  const auto r = api::parse_sub_account_api_keys(
      200, api_key_body(R"({"userCode":"u1","apiKey":")" + kKey +
                        R"(","readonlyFlag":2},)"
                        R"({"userCode":"u2"},{"userCode":"u3","apiKey":"ab"},)"
                        R"({"userCode":"u4","apiKey":"ffffeeeeddddccccbbbbaaaa99998888","readonlyFlag":1})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().rows.size(), 2u);
  EXPECT_EQ(r.value().invalid_rows, 2u) << "no key, and a key too short to be one";
  EXPECT_FALSE(r.value().rows[0].read_only.has_value()) << "a flag of 2 is not guessed";
  EXPECT_GE(r.value().format.invalid_fields.at("readonlyFlag"), 1u);
}

TEST(TransferParse, KeepsCoinWsExactTextAndRefusesWhatIsNotAnAmount) {
  auto body = [](const std::string& data) {
    return R"({"code":"200","msg":"SUCCESS","success":true,"failed":false,"data":)" + data + "}";
  };
  const auto s = api::parse_transfer_available(200, body(R"("12345.67890123")"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().text, "12345.67890123");
  EXPECT_DOUBLE_EQ(s.value().amount, 12345.67890123);
  EXPECT_FALSE(s.value().format.drifted());
  const auto n = api::parse_transfer_available(200, body("0.5"));
  ASSERT_TRUE(n);
  EXPECT_EQ(n.value().amount, 0.5);
  for (const char* bad : {R"("-1")", R"({"amount":"1"})", "null", R"("abc")"}) {
    const auto b = api::parse_transfer_available(200, body(bad));
    ASSERT_TRUE(b) << bad;
    EXPECT_TRUE(b.value().format.drifted()) << bad << ": a format change, so success 0 and the last value kept";
  }
}

TEST(SubAccountClient, HasNoWayToSendACommandThatChangesThings) {
  // The client names a spot command only through a kEndpoints row (spot_request),
  // and a static_assert ties every row to the read-only list.
  for (const auto& e : api::kEndpoints) {
    if (e.family != api::Family::spot) continue;
    EXPECT_TRUE(std::find(facts::kReadOnlySpotCommands.begin(), facts::kReadOnlySpotCommands.end(), e.command) !=
                facts::kReadOnlySpotCommands.end())
        << e.name;
  }
  for (std::string_view forbidden : {"reset_subAccount_apikey", "subAccount_transfer"})
    for (std::string_view c : facts::kReadOnlySpotCommands) EXPECT_NE(c, forbidden);
}

class SubAccountAssets : public ::testing::Test {
 protected:
  std::unique_ptr<AccountCollector> make(std::vector<std::string> coins = {}) {
    config::AccountConfig a;
    a.name = "main";
    a.api_key = "AK-0123456789";
    a.secret_key = "SK-0123456789";
    a.invitee_assets.enabled = false;
    a.sub_accounts.min_refresh_interval = 1min;
    a.sub_accounts.api_keys.min_refresh_interval = 1min;
    a.sub_accounts.funds.coins = std::move(coins);
    a.sub_accounts.funds.min_refresh_interval = 10min;
    return std::make_unique<AccountCollector>(a, derive_client_settings(config::GlobalConfig{}, a), gate_, clock_,
                                              [this] { return sim_.transport(); });
  }
  void refresh(AccountCollector& c, Duration budget = 1h) {
    clock_.advance(1ms);
    c.refresh(clock_.now() + budget, settings_);
  }
  std::string text(const AccountCollector& c) const {
    exposition::FamilySet out;
    c.collect_data(out, c.data_key(settings_));
    c.collect_health(out);
    return out.render();
  }
  Series scrape(const AccountCollector& c) const { return parse_exposition(text(c)); }
  static std::string owner(const sim::SubAccount& s) {
    return "account=\"main\",uid=\"" + std::to_string(s.spot_uid) + "\",user_code=\"" + s.user_code + "\"";
  }
  static std::string key_series(const char* metric, const sim::SubAccount& s, const sim::ApiKey& k) {
    return std::string(metric) + "{" + owner(s) + ",key=\"" + api::mask_api_key(k.key) + "\"}";
  }
  double changes(const sim::SubAccount& s, const char* change) const {
    return scraped_.at("coinw_sub_account_api_key_changes_total{" + owner(s) + ",change=\"" + change + "\"}");
  }
  std::vector<std::string> commands() const {
    std::vector<std::string> out;
    for (const auto& r : sim_.spot_requests()) out.push_back(r.param("command") ? *r.param("command") : "");
    return out;
  }

  testing::FakeClock clock_;
  ratelimit::RateGate gate_{clock_};
  sim::Dataset data_{7, 0, 50};
  testing::SimTransport sim_{clock_, data_};
  ExposeSettings settings_{config::NickNamePolicy::masked, std::chrono::hours(24)};
  Series scraped_;
};

TEST_F(SubAccountAssets, TheInventoryEqualsTheSimulatorsKeys) {
  auto c = make();
  refresh(*c);
  const auto s = scrape(*c);
  size_t keys = 0;
  for (const auto& sub : data_.sub_accounts()) {
    EXPECT_EQ(s.at("coinw_sub_account_api_keys{" + owner(sub) + "}"), static_cast<double>(sub.api_keys.size()));
    for (const auto& k : sub.api_keys) {
      ++keys;
      EXPECT_EQ(s.at(key_series("coinw_sub_account_api_key_read_only", sub, k)), k.read_only);
      EXPECT_EQ(s.at(key_series("coinw_sub_account_api_key_ip_whitelist_enabled", sub, k)), k.ip_whitelist);
      EXPECT_EQ(s.at(key_series("coinw_sub_account_api_key_spot_trade_enabled", sub, k)), k.spot_trade);
      EXPECT_EQ(s.at(key_series("coinw_sub_account_api_key_contract_trade_enabled", sub, k)), k.contract_trade);
      EXPECT_EQ(s.at(key_series("coinw_sub_account_api_key_created_timestamp_seconds", sub, k)),
                static_cast<double>(k.created_ms) / 1000);
    }
  }
  EXPECT_GT(keys, 20u);
  EXPECT_EQ(count_prefix(s, "coinw_sub_account_api_key_read_only{"), keys);
  EXPECT_EQ(count_prefix(s, "coinw_sub_account_api_key_changes_total{"), 3 * data_.sub_accounts().size())
      << "every listed sub-account's counters, at zero";
  EXPECT_EQ(s.at("coinw_collector_success{account=\"main\",collector=\"sub_account_api_keys\"}"), 1);
}

TEST_F(SubAccountAssets, ANewKeyAndAFlagFlipAreCountedOnceEach) {
  auto c = make();
  refresh(*c);
  auto& subs = const_cast<std::vector<sim::SubAccount>&>(data_.sub_accounts());
  sim::SubAccount& gains = subs[0];
  auto flipped = std::find_if(subs.begin(), subs.end(), [](const sim::SubAccount& x) { return !x.api_keys.empty(); });
  ASSERT_NE(flipped, subs.end());
  sim::ApiKey added;
  added.remark = "new";
  added.created_ms = 1764000000000;
  added.spot_trade = true;
  ASSERT_TRUE(data_.add_api_key(gains.spot_uid, added));
  flipped->api_keys[0].ip_whitelist = !flipped->api_keys[0].ip_whitelist;
  for (int i = 0; i < 3; ++i) {  // later polls see nothing new
    clock_.advance(1min);
    refresh(*c);
  }
  scraped_ = scrape(*c);
  EXPECT_EQ(changes(gains, "added"), 1);
  EXPECT_EQ(changes(*flipped, "flags"), 1);
  double total = 0;
  for (const auto& [series, v] : scraped_)
    if (series.starts_with("coinw_sub_account_api_key_changes_total{")) total += v;
  EXPECT_EQ(total, 2) << "nothing else changed";
}

TEST_F(SubAccountAssets, AnEmptyAnswerErasesNothingAndIsNotCountedAsRemovals) {
  auto c = make();
  refresh(*c);
  const size_t before = count_prefix(scrape(*c), "coinw_sub_account_api_key_read_only{");
  sim_.empty_key_answers(1);
  clock_.advance(1min);
  refresh(*c);
  scraped_ = scrape(*c);
  EXPECT_EQ(count_prefix(scraped_, "coinw_sub_account_api_key_read_only{"), before);
  for (const auto& sub : data_.sub_accounts()) EXPECT_EQ(changes(sub, "removed"), 0);
}

TEST_F(SubAccountAssets, FiftySubAccountsTimesThreeCoinsKeepToTheSharedLimit) {
  const std::vector<std::string> coins{"USDT", "USDC", "BTC"};
  auto c = make(coins);
  const TimePoint t0 = clock_.now();
  refresh(*c);
  const auto sent = sim_.spot_requests();
  size_t funds = 0;
  for (const auto& r : sent) funds += *r.param("command") == facts::kTransferAvailableCommand;
  ASSERT_EQ(funds, 150u);
  // As the server sees them: no window of one second holds more than 3 requests
  // of the list, the keys and the funds together.
  for (size_t i = facts::kSubAccountListPerSecond; i < sent.size(); ++i)
    EXPECT_GE(sent[i].at - sent[i - facts::kSubAccountListPerSecond].at, 1s) << "request " << i;
  // Within the bound: 152 requests at 3 per second and the limiter's margin.
  EXPECT_LE(sent.back().at - t0, 52s);
  scraped_ = scrape(*c);
  std::map<std::string, int64_t> sums;
  for (const auto& sub : data_.sub_accounts())
    for (const auto& coin : coins) {
      const auto it = sub.transferable.find(coin);
      const int64_t units = it == sub.transferable.end() ? 0 : it->second;
      sums[coin] += units;
      EXPECT_EQ(scraped_.at("coinw_sub_account_transferable{account=\"main\",uid=\"" + std::to_string(sub.spot_uid) +
                            "\",coin=\"" + coin + "\"}"),
                static_cast<double>(units) / kUnit);
    }
  for (const auto& [coin, units] : sums)
    EXPECT_EQ(scraped_.at("coinw_sub_accounts_transferable{account=\"main\",coin=\"" + coin + "\"}"),
              static_cast<double>(units) / kUnit)
        << "summed exactly";
  EXPECT_EQ(scraped_.at("coinw_sub_account_pass_requests_total{account=\"main\",pass=\"funds\"}"), 150);
  EXPECT_TRUE(
      scraped_.count("coinw_sub_account_pass_last_complete_timestamp_seconds{account=\"main\",pass=\"funds\"}"));
  for (const auto& cmd : commands())
    EXPECT_TRUE(std::find(facts::kReadOnlySpotCommands.begin(), facts::kReadOnlySpotCommands.end(), cmd) !=
                facts::kReadOnlySpotCommands.end())
        << cmd;
}

TEST_F(SubAccountAssets, ASubAccountGoesOnlyAfterTwoCompletePassesWithoutIt) {
  auto c = make({"USDT"});
  refresh(*c);
  auto& subs = const_cast<std::vector<sim::SubAccount>&>(data_.sub_accounts());
  const sim::SubAccount gone = subs.back();
  subs.pop_back();
  const std::string series =
      "coinw_sub_account_transferable{account=\"main\",uid=\"" + std::to_string(gone.spot_uid) + "\",coin=\"USDT\"}";
  clock_.advance(10min);
  refresh(*c);
  EXPECT_TRUE(scrape(*c).count(series)) << "one pass without it is not enough";
  clock_.advance(10min);
  refresh(*c);
  EXPECT_FALSE(scrape(*c).count(series));
}

TEST_F(SubAccountAssets, AFormatChangeKeepsTheLastValuesAndSetsSuccessZero) {
  auto c = make({"USDT"});
  refresh(*c);
  const auto before = scrape(*c);
  sim::Drift d;
  d.spot_formats_changed = true;  // flags as "Y"/"N", amounts as objects
  sim_.drift(d);
  clock_.advance(10min);
  refresh(*c);
  scraped_ = scrape(*c);
  EXPECT_EQ(scraped_.at("coinw_collector_success{account=\"main\",collector=\"sub_account_api_keys\"}"), 0);
  EXPECT_EQ(scraped_.at("coinw_collector_success{account=\"main\",collector=\"sub_account_funds\"}"), 0);
  size_t kept = 0;
  for (const auto& [series, v] : before)
    if (series.starts_with("coinw_sub_account_api_key_read_only{") ||
        series.starts_with("coinw_sub_account_transferable{") ||
        series.starts_with("coinw_sub_accounts_transferable{")) {
      EXPECT_EQ(scraped_.at(series), v) << series;
      ++kept;
    }
  EXPECT_GT(kept, 50u);
  EXPECT_GT(scraped_.at("coinw_api_failures_total{account=\"main\",endpoint=\"sub_account_transfer_available\","
                        "reason=\"unexpected_format\"}"),
            0);
}

TEST_F(SubAccountAssets, NoFullKeyNoIpListAndNoRemarkInMetricsOrStateFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("coinw-keys-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = std::make_shared<StateDir>(dir);
  std::string metrics;
  {
    auto c = make({"USDT"});
    c->use_state(store);
    refresh(*c);
    metrics = text(*c);
    c->save_state(config::NickNamePolicy::masked);
    store->flush();
  }
  std::ifstream in(store->path_for("main"));
  std::stringstream read;
  read << in.rdbuf();
  const std::string file = read.str();
  ASSERT_FALSE(file.empty());
  size_t remarks = 0;
  for (const auto& sub : data_.sub_accounts())
    for (const auto& k : sub.api_keys) {
      for (const std::string* out : std::initializer_list<const std::string*>{&metrics, &file}) {
        EXPECT_EQ(out->find(k.key), std::string::npos);
        EXPECT_EQ(out->find(k.key.substr(0, 12)), std::string::npos) << "no more than the masked ends";
        EXPECT_EQ(out->find(k.remark), std::string::npos) << k.remark;
        for (const auto& ip : k.whitelist) EXPECT_EQ(out->find(ip), std::string::npos) << ip;
      }
      ++remarks;
    }
  EXPECT_GT(remarks, 0u);
  EXPECT_NE(file.find("sub_account_keys"), std::string::npos);
  // Restored, the keys are served again without a request.
  sim_.clear();
  auto c = make({"USDT"});
  c->use_state(store);
  c->restore_state(settings_.staleness_limit);
  EXPECT_GT(count_prefix(scrape(*c), "coinw_sub_account_api_key_read_only{"), 20u);
  EXPECT_GT(count_prefix(scrape(*c), "coinw_sub_account_transferable{"), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coinw::collect
