// Hostile rows from "CoinW", through a fake transport: uids and amounts in the
// wrong types, null, garbage, huge and negative values, impossible dates,
// unknown fields, and label text with quotes, backslashes, newlines, emoji,
// HTML and 100 kB. The scrape must stay valid exposition, bad rows must be
// skipped and counted, good rows exact, and label values escaped and bounded.
#include <gtest/gtest.h>

#include <functional>

#include "api/client.h"
#include "common/coinw_facts.h"
#include "exporter/exporter.h"
#include "support/exposition.h"
#include "support/exposition_check.h"

namespace coinw {
namespace {

using namespace std::chrono_literals;
using testing::ParsedSample;

// Answers each endpoint with a fixed body.
class FakeCoinw final : public api::Transport {
 public:
  FakeCoinw(std::string invitees, std::string subs) : invitees_(std::move(invitees)), subs_(std::move(subs)) {}
  api::Result<api::HttpResponse> send(const api::HttpRequest& r) override {
    api::HttpResponse out;
    out.status = 200;
    out.body = r.path == facts::kInviteeAssetsPath ? invitees_ : subs_;
    return out;
  }

 private:
  std::string invitees_, subs_;
};

std::string invitee_body(const std::vector<std::string>& rows) {
  std::string list;
  for (const auto& r : rows) list += (list.empty() ? "" : ",") + r;
  return R"({"code":"0","msg":"success","data":{"total":)" + std::to_string(rows.size()) + R"(,"list":[)" + list +
         "]}}";
}
std::string sub_body(const std::vector<std::string>& rows) {
  std::string list;
  for (const auto& r : rows) list += (list.empty() ? "" : ",") + r;
  return R"({"code":"200","msg":"","data":[)" + list + "]}";
}

// A JSON string literal for `s` (escaping only what JSON requires).
std::string js(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// What the text format allows a label value to become: at most 128 bytes,
// never ending inside a UTF-8 sequence. Written independently of src/.
std::string bounded_128(const std::string& s) {
  if (s.size() <= 128) return s;
  size_t n = 128;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

struct Scrape {
  std::string text;
  testing::ExpositionCheck check;
  testing::Series series;
};

Scrape scrape_with(const std::string& invitees, const std::string& subs,
                   config::NickNamePolicy nick = config::NickNamePolicy::full) {
  exporter::Exporter exp(SystemClock::instance(),
                         [&](const api::TransportOptions&) { return std::make_unique<FakeCoinw>(invitees, subs); });
  config::Config c;
  c.global.nick_name = nick;
  config::AccountConfig a;
  a.name = "demo";
  a.base_url = "http://127.0.0.1:1";  // never dialled: the fake answers
  a.api_key = "k";
  a.secret_key = "s";
  a.invitee_assets.quotes = {"usdt"};
  c.accounts = {a};
  exp.apply(c);
  Scrape s;
  auto res = exp.metrics({});
  EXPECT_EQ(res.status, 200);
  s.text = res.joined();
  s.check = testing::check_exposition(s.text);
  EXPECT_TRUE(s.check.ok()) << s.check.report();
  EXPECT_EQ(testing::promtool_problems(s.text), "");
  s.series = testing::parse_exposition(s.text);
  return s;
}

std::string label_of(const ParsedSample& s, const std::string& name) {
  for (const auto& [k, v] : s.labels)
    if (k == name) return v;
  return "<absent>";
}

const std::vector<std::string> kGoodInvitees = {
    // Everything as documented.
    R"({"uid":1001,"totalDeposit":"12.5","totalWithdrawal":"0.25","currentBalance":"3.125","firstDepositAmount":"10",)"
    R"("firstDepositTime":"2024-01-02 03:04:05","updateTime":"2024-02-29 23:59:59"})",
    // uid as a string, amounts as JSON numbers, never deposited (nulls), unknown fields.
    R"({"uid":"1002","totalDeposit":7.75,"totalWithdrawal":0,"currentBalance":1e3,"firstDepositAmount":null,)"
    R"("firstDepositTime":null,"updateTime":"2024-03-01 00:00:00","newField":{"a":[1,2]},"evil":"x\"}\n"})",
    // Optional fields missing.
    R"({"uid":1003,"currentBalance":"0.00000001"})",
    // Large but finite, and negative: decimals, passed on as they are.
    R"({"uid":1004,"totalDeposit":"123456789012345678901234567890.5","totalWithdrawal":"-5.5","currentBalance":"-0.1",)"
    R"("updateTime":"2024-03-01 00:00:00"})",
};

const std::vector<std::string> kBadInvitees = {
    R"({"uid":"abc","currentBalance":"1"})",
    R"({"uid":"12a","currentBalance":"1"})",
    R"({"uid":null,"currentBalance":"1"})",
    R"({"currentBalance":"1"})",
    R"({"uid":-5,"currentBalance":"1"})",
    R"({"uid":1.5,"currentBalance":"1"})",
    R"({"uid":"99999999999999999999999","currentBalance":"1"})",
    R"({"uid":2001,"currentBalance":"garbage"})",
    R"({"uid":2002,"currentBalance":"1e999"})",
    R"({"uid":2004,"currentBalance":")" + std::string(400, '9') + R"("})",
    R"({"uid":2006,"currentBalance":"NaN"})",
    R"({"uid":2007,"currentBalance":"Infinity"})",
    R"({"uid":2008,"currentBalance":""})",
    R"({"uid":2009,"currentBalance":true})",
    R"({"uid":2010,"currentBalance":{"v":1}})",
    R"({"uid":2011,"totalDeposit":"1,5"})",
    R"({"uid":2012,"updateTime":"2023-02-30 10:00:00"})",
    R"({"uid":2013,"updateTime":"2024-01-01 24:00:00"})",
    R"({"uid":2014,"updateTime":"2024-13-01 00:00:00"})",
    R"({"uid":2015,"updateTime":"2024-01-01T00:00:00"})",
    R"({"uid":2016,"updateTime":1700000000})",
    R"({"uid":2017,"firstDepositTime":"yesterday"})",
    R"(42)",
    R"("row")",
    R"(null)",
    R"([1001])",
};

// Rows whose uid can be read but nothing else: they have no series at all.
constexpr size_t kUnreadableUids = 11;

// Plain rows that dilute the bad ones below the 10% "format changed" threshold,
// so that the page is applied and each bad row's handling shows.
std::vector<std::string> filler(size_t n) {
  std::vector<std::string> rows;
  for (size_t i = 0; i < n; ++i) rows.push_back(R"({"uid":)" + std::to_string(9000 + i) + R"(,"currentBalance":"0"})");
  return rows;
}

TEST(HardeningRows, AMostlyHostilePageFailsAsUnexpectedFormatAndIsCountedByField) {
  std::vector<std::string> rows = kBadInvitees;
  rows.insert(rows.end(), kGoodInvitees.begin(), kGoodInvitees.end());
  auto s = scrape_with(invitee_body(rows), sub_body({}));
  EXPECT_EQ(s.series.at(
                "coinw_api_failures_total{account=\"demo\",endpoint=\"invitee_assets\",reason=\"unexpected_format\"}"),
            1);
  EXPECT_EQ(s.series.at("coinw_collector_success{account=\"demo\",collector=\"invitee_assets\"}"), 0);
  EXPECT_EQ(testing::count_prefix(s.series, "coinw_invitee_current_balance{"), 0u) << "nothing made up";
  const std::string f = "coinw_api_invalid_fields_total{account=\"demo\",endpoint=\"invitee_assets\",field=";
  EXPECT_EQ(s.series.at(f + "\"uid\"}"), static_cast<double>(kUnreadableUids));
  EXPECT_EQ(s.series.at(f + "\"currentBalance\"}"), 8);
  EXPECT_EQ(s.series.at(f + "\"updateTime\"}"), 5);
}

TEST(HardeningRows, BadInviteeFieldsAreLeftOutAndCountedGoodOnesExact) {
  std::vector<std::string> rows;
  // Interleaved, so a bad row cannot shift a good one's values.
  for (size_t i = 0; i < std::max(kGoodInvitees.size(), kBadInvitees.size()); ++i) {
    if (i < kBadInvitees.size()) rows.push_back(kBadInvitees[i]);
    if (i < kGoodInvitees.size()) rows.push_back(kGoodInvitees[i]);
  }
  const auto pad = filler(300);
  rows.insert(rows.end(), pad.begin(), pad.end());
  auto s = scrape_with(invitee_body(rows), sub_body({}));
  // The fake ignores pageNo: 330 rows fill the first page of 100, the second
  // page repeats them, and the pager ends the pass at the repeat.
  EXPECT_EQ(s.series.at("coinw_api_requests_total{account=\"demo\",endpoint=\"invitee_assets\"}"), 2);
  EXPECT_EQ(s.series.at("coinw_api_invalid_rows_total{account=\"demo\",endpoint=\"invitee_assets\"}"),
            static_cast<double>(2 * kUnreadableUids));
  EXPECT_EQ(s.series.at("coinw_collector_success{account=\"demo\",collector=\"invitee_assets\"}"), 1);

  // Exactly the good uids have series: a bad row's only field is left out, so it has none.
  std::set<std::string> uids;
  for (const auto& p : s.check.samples)
    if (p.name.rfind("coinw_invitee_", 0) == 0 && label_of(p, "uid") != "<absent>" && label_of(p, "uid")[0] != '9')
      uids.insert(label_of(p, "uid"));
  EXPECT_EQ(uids, (std::set<std::string>{"1001", "1002", "1003", "1004"}));

  auto v = [&](const char* metric, const char* uid) -> std::optional<double> {
    auto it = s.series.find(std::string(metric) + "{account=\"demo\",quote=\"usdt\",uid=\"" + uid + "\"}");
    if (it == s.series.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_EQ(v("coinw_invitee_total_deposit", "1001"), 12.5);
  EXPECT_EQ(v("coinw_invitee_total_withdrawal", "1001"), 0.25);
  EXPECT_EQ(v("coinw_invitee_current_balance", "1001"), 3.125);
  EXPECT_EQ(v("coinw_invitee_first_deposit_amount", "1001"), 10);
  EXPECT_EQ(v("coinw_invitee_first_deposit_timestamp_seconds", "1001"), 1704164645);
  EXPECT_EQ(v("coinw_invitee_balance_update_timestamp_seconds", "1001"), 1709251199);

  EXPECT_EQ(v("coinw_invitee_total_deposit", "1002"), 7.75);
  EXPECT_EQ(v("coinw_invitee_total_withdrawal", "1002"), 0);
  EXPECT_EQ(v("coinw_invitee_current_balance", "1002"), 1000);
  EXPECT_EQ(v("coinw_invitee_first_deposit_amount", "1002"), std::nullopt) << "null is not zero";
  EXPECT_EQ(v("coinw_invitee_first_deposit_timestamp_seconds", "1002"), std::nullopt);

  EXPECT_EQ(v("coinw_invitee_current_balance", "1003"), 0.00000001);
  EXPECT_EQ(v("coinw_invitee_total_deposit", "1003"), std::nullopt) << "missing is not zero";
  EXPECT_EQ(v("coinw_invitee_total_withdrawal", "1003"), std::nullopt);
  EXPECT_EQ(v("coinw_invitee_balance_update_timestamp_seconds", "1003"), std::nullopt);

  EXPECT_EQ(v("coinw_invitee_total_deposit", "1004"), 123456789012345678901234567890.5);
  EXPECT_EQ(v("coinw_invitee_total_withdrawal", "1004"), -5.5);
  EXPECT_EQ(v("coinw_invitee_current_balance", "1004"), -0.1);

  // Aggregates over the good rows only.
  const std::string q = "{account=\"demo\",quote=\"usdt\"}";
  EXPECT_EQ(s.series.at("coinw_invitees_balance" + q), 3.125 + 1000 + 0.00000001 - 0.1);
  EXPECT_EQ(s.series.at("coinw_invitees_depositors" + q), 1);
  EXPECT_EQ(s.series.at("coinw_invitees_reported" + q), static_cast<double>(rows.size())) << "CoinW's own total";
  EXPECT_EQ(s.series.at("coinw_invitees" + q), static_cast<double>(rows.size() - kUnreadableUids))
      << "rows with a readable uid, counted by the exporter";
}

struct SubRow {
  std::string uid;
  std::string user_code, nick;
};

std::string sub_row(const SubRow& r) {
  return R"({"spotUid":)" + r.uid + R"(,"userCode":)" + js(r.user_code) + R"(,"nickName":)" + js(r.nick) +
         R"(,"frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})";
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::vector<SubRow> kHostileText = {
    {"3001", "code\"quote", "nick\"with\\back\\slash\nand newline"},
    {"3002", "emoji\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80 smile \xE2\x80\xAE reversed"},
    {"3003", "<b>bold</b>", "<script>alert('x')</script>&amp;"},
    {"3004", repeat("u", 300), repeat("n", 300)},
    {"3005", "big", repeat("x", 100 * 1024)},
    // Byte 128 falls inside a 3-byte character: the cut must not split it.
    {"3006", "a" + repeat("\xE2\x82\xAC", 100), "b" + repeat("\xE2\x82\xAC", 100)},
    // Backslashes and quotes right at the cut.
    {"3007", repeat("\\", 200), repeat("\"", 200)},
    {"3008", "", ""},
};

TEST(HardeningRows, LabelTextIsEscapedAndBounded) {
  std::vector<std::string> rows;
  for (const auto& r : kHostileText) rows.push_back(sub_row(r));
  // JSON escapes that decode to valid text: a surrogate pair, é, a control character.
  rows.push_back(R"({"spotUid":3009,"userCode":"\u00e9\ud83d\ude00","nickName":"tab\there\u0007bell",)"
                 R"("frozenFlag":1,"spotTradeFlag":0,"contractTradeFlag":0})");
  auto s = scrape_with(invitee_body({}), sub_body(rows));
  EXPECT_EQ(s.series.at("coinw_api_invalid_rows_total{account=\"demo\",endpoint=\"sub_account_list\"}"), 0);
  EXPECT_EQ(s.series.at("coinw_sub_accounts{account=\"demo\"}"), 9);
  EXPECT_LT(s.text.size(), 64u * 1024) << "the 100 kB nickname must not reach the output";

  std::map<std::string, const ParsedSample*> info;
  for (const auto& p : s.check.samples)
    if (p.name == "coinw_sub_account_info") info[label_of(p, "uid")] = &p;
  ASSERT_EQ(info.size(), 9u);
  for (const auto& r : kHostileText) {
    SCOPED_TRACE(r.uid);
    ASSERT_TRUE(info.count(r.uid));
    EXPECT_EQ(label_of(*info[r.uid], "user_code"), bounded_128(r.user_code));
    EXPECT_EQ(label_of(*info[r.uid], "nick_name"), bounded_128(r.nick));
  }
  EXPECT_EQ(label_of(*info["3009"], "user_code"), "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(label_of(*info["3009"], "nick_name"), "tab\there\abell");
  EXPECT_EQ(s.series.at("coinw_sub_account_frozen{account=\"demo\",uid=\"3009\"}"), 1);
  // The escaping itself, as bytes on the line.
  EXPECT_NE(s.text.find(R"(user_code="code\"quote")"), std::string::npos);
  EXPECT_NE(s.text.find(R"(nick_name="nick\"with\\back\\slash\nand newline")"), std::string::npos);
  for (const auto& p : s.check.samples)
    for (const auto& [k, v] : p.labels) EXPECT_LE(v.size(), 128u) << p.name << " " << k;
}

TEST(HardeningRows, MaskedNicknamesStayMaskedWhateverTheirContent) {
  std::vector<std::string> rows;
  for (const auto& r : kHostileText) rows.push_back(sub_row(r));
  auto s = scrape_with(invitee_body({}), sub_body(rows), config::NickNamePolicy::masked);
  std::map<std::string, std::string> nick;
  for (const auto& p : s.check.samples)
    if (p.name == "coinw_sub_account_info") nick[label_of(p, "uid")] = label_of(p, "nick_name");
  EXPECT_EQ(nick["3001"], "n***");
  EXPECT_EQ(nick["3002"], "\xF0\x9F\x98\x80***") << "the first character whole, not its first byte";
  EXPECT_EQ(nick["3003"], "<***");
  EXPECT_EQ(nick["3005"], "x***");
  EXPECT_EQ(nick["3007"], "\"***");
  EXPECT_EQ(nick["3008"], "");
}

TEST(HardeningRows, BadSubAccountFieldsNeverDropTheSubAccount) {
  const std::vector<std::string> unreadable_uid = {
      R"({"spotUid":"x","userCode":"c","nickName":"n","frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})",
      R"({"spotUid":-1,"userCode":"c","nickName":"n","frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})",
      R"({"userCode":"c","nickName":"n","frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})",
      R"("row")",
      R"(null)",
  };
  const std::vector<std::string> bad_field = {
      R"({"spotUid":4001,"userCode":"c","nickName":"n","frozenFlag":2,"spotTradeFlag":1,"contractTradeFlag":1})",
      R"({"spotUid":4002,"userCode":"c","nickName":"n","frozenFlag":"yes","spotTradeFlag":1,"contractTradeFlag":1})",
      R"({"spotUid":4003,"userCode":"c","nickName":"n","frozenFlag":0,"spotTradeFlag":null,"contractTradeFlag":1})",
      R"({"spotUid":4004,"userCode":"c","nickName":"n","frozenFlag":0,"contractTradeFlag":1})",
      R"({"spotUid":4005,"userCode":"c","nickName":{"a":1},"frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})",
      R"({"spotUid":4006,"userCode":1.5,"nickName":"n","frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})",
  };
  std::vector<std::string> rows = unreadable_uid;
  rows.insert(rows.end(), bad_field.begin(), bad_field.end());
  rows.push_back(
      R"({"spotUid":"4100","userCode":7,"frozenFlag":"1","spotTradeFlag":true,"contractTradeFlag":0,"x":1})");
  for (int i = 0; i < 100; ++i) rows.push_back(sub_row({std::to_string(5000 + i), "c", "n"}));  // below 10% bad
  auto s = scrape_with(invitee_body({}), sub_body(rows));
  EXPECT_EQ(s.series.at("coinw_api_invalid_rows_total{account=\"demo\",endpoint=\"sub_account_list\"}"),
            static_cast<double>(unreadable_uid.size()));
  EXPECT_EQ(s.series.at("coinw_sub_accounts{account=\"demo\"}"), 107);
  auto frozen = [&](const char* uid) {
    return s.series.at(std::string("coinw_sub_account_frozen{account=\"demo\",uid=\"") + uid + "\"}");
  };
  EXPECT_EQ(frozen("4001"), 1) << "frozenFlag 2 is frozen: fail safe";
  EXPECT_EQ(frozen("4002"), 1) << "an unreadable frozenFlag is frozen: fail safe";
  EXPECT_EQ(frozen("4003"), 0);
  EXPECT_FALSE(s.series.count("coinw_sub_account_spot_trade_enabled{account=\"demo\",uid=\"4003\"}"))
      << "an unreadable flag leaves its series out";
  EXPECT_FALSE(s.series.count("coinw_sub_account_spot_trade_enabled{account=\"demo\",uid=\"4004\"}"));
  EXPECT_EQ(s.series.at("coinw_sub_account_contract_trade_enabled{account=\"demo\",uid=\"4004\"}"), 1);
  EXPECT_EQ(s.series.at("coinw_sub_account_frozen{account=\"demo\",uid=\"4100\"}"), 1);
  EXPECT_EQ(s.series.at("coinw_sub_account_spot_trade_enabled{account=\"demo\",uid=\"4100\"}"), 1);
  EXPECT_EQ(s.series.at("coinw_sub_account_contract_trade_enabled{account=\"demo\",uid=\"4100\"}"), 0);
  EXPECT_EQ(s.series.at("coinw_sub_account_info{account=\"demo\",uid=\"4100\",user_code=\"7\",nick_name=\"\"}"), 1);
  const std::string f = "coinw_api_invalid_fields_total{account=\"demo\",endpoint=\"sub_account_list\",field=";
  EXPECT_EQ(s.series.at(f + "\"frozenFlag\"}"), 2);
  EXPECT_EQ(s.series.at(f + "\"spotTradeFlag\"}"), 2);
  EXPECT_EQ(s.series.at(f + "\"nickName\"}"), 1);
  EXPECT_EQ(s.series.at(f + "\"userCode\"}"), 1);
  EXPECT_EQ(s.series.at(f + "\"spotUid\"}"), static_cast<double>(unreadable_uid.size()));
}

// The same uid twice in one answer must not produce duplicate series (which
// check_exposition, inside scrape_with, reports).
TEST(HardeningRows, DuplicateUidsDoNotDuplicateSeries) {
  auto s = scrape_with(invitee_body({R"({"uid":5001,"currentBalance":"1"})", R"({"uid":5001,"currentBalance":"2"})"}),
                       sub_body({sub_row({"5100", "a", "n"}), sub_row({"5100", "b", "m"})}));
  EXPECT_EQ(testing::count_prefix(s.series, "coinw_invitee_current_balance{"), 1u);
  EXPECT_EQ(testing::count_prefix(s.series, "coinw_sub_account_frozen{"), 1u);
  EXPECT_EQ(s.series.at("coinw_sub_account_info{account=\"demo\",uid=\"5100\",user_code=\"a\",nick_name=\"n\"}"), 1)
      << "the first row is kept";
  EXPECT_EQ(s.series.at("coinw_api_invalid_rows_total{account=\"demo\",endpoint=\"sub_account_list\"}"), 1);
}

// A number literal beyond the range of a double (1e999, 400 digits) is not
// valid JSON to the parser, so the whole answer fails as malformed (counted,
// nothing made up), not just its row.
TEST(HardeningRows, OutOfRangeNumberLiteralsFailTheAnswerAsMalformed) {
  for (const std::string& amount : {std::string("1e999"), std::string("-1e999"), std::string(400, '9')}) {
    SCOPED_TRACE(amount);
    auto s = scrape_with(
        invitee_body({R"({"uid":1,"currentBalance":"1"})", R"({"uid":2003,"currentBalance":)" + amount + "}"}),
        sub_body({}));
    EXPECT_EQ(
        s.series.at(
            "coinw_api_failures_total{account=\"demo\",endpoint=\"invitee_assets\",reason=\"malformed_response\"}"),
        1);
    EXPECT_EQ(s.series.at("coinw_collector_success{account=\"demo\",collector=\"invitee_assets\"}"), 0);
    EXPECT_EQ(testing::count_prefix(s.series, "coinw_invitee_current_balance{"), 0u);
  }
}

// Text JSON cannot carry (a lone surrogate, raw invalid UTF-8) fails the whole
// answer, not just the row: counted as malformed, nothing made up.
TEST(HardeningRows, InvalidUnicodeIsRepairedNotFatal) {
  for (const std::string& nick : {std::string(R"(\ud800)"), std::string("\xFF\xFE"), std::string("\xC3")}) {
    SCOPED_TRACE(nick);
    auto s = scrape_with(invitee_body({}),
                         sub_body({R"({"spotUid":6001,"userCode":"c","nickName":")" + nick +
                                       R"(","frozenFlag":1,"spotTradeFlag":1,"contractTradeFlag":1})",
                                   sub_row({"6002", "ok", "fine"})}),
                         config::NickNamePolicy::full);
    EXPECT_EQ(s.series.at("coinw_collector_success{account=\"demo\",collector=\"sub_accounts\"}"), 1);
    EXPECT_EQ(s.series.at("coinw_sub_accounts{account=\"demo\"}"), 2);
    EXPECT_EQ(s.series.at("coinw_sub_account_frozen{account=\"demo\",uid=\"6001\"}"), 1);
    EXPECT_GE(s.series.at("coinw_api_text_repairs_total{account=\"demo\",endpoint=\"sub_account_list\"}"), 1);
    EXPECT_NE(s.text.find("nick_name=\"\xEF\xBF\xBD"), std::string::npos) << "U+FFFD in place of the bad text";
  }
}

}  // namespace
}  // namespace coinw
