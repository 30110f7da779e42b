// The simulator's API keys and transferable funds: the generated mix of flags,
// both bodies, quirks and drift, and the parameter checks of
// subAccount_transferAvailable. What the exporter makes of them is in
// sub_account_keys_funds_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/parse.h"
#include "sim/endpoints.h"

namespace coinw::sim {
namespace {

using nlohmann::json;

TEST(SimApiKeys, EveryCombinationAnAuditLooksForIsGenerated) {
  const Dataset data(42, 0, 12);
  bool risky = false, read_only_whitelisted = false, bound_without_ips = false;
  size_t keys = 0;
  for (const auto& s : data.sub_accounts())
    for (const auto& k : s.api_keys) {
      ++keys;
      EXPECT_EQ(k.key.size(), 32u);
      risky = risky || ((k.spot_trade || k.contract_trade) && !k.ip_whitelist);
      read_only_whitelisted = read_only_whitelisted || (k.read_only && k.ip_whitelist);
      bound_without_ips = bound_without_ips || (k.ip_whitelist && k.whitelist.empty());
    }
  EXPECT_GT(keys, 5u);
  EXPECT_TRUE(risky);
  EXPECT_TRUE(read_only_whitelisted);
  EXPECT_FALSE(bound_without_ips);
  EXPECT_EQ(Dataset(42, 0, 12).to_json(0), data.to_json(0)) << "the same seed, the same keys";
}

TEST(SimApiKeys, TheBodyListsEveryKeyAndParsesBackInEveryRendering) {
  const Dataset data(7, 0, 20);
  size_t keys = 0;
  for (const auto& s : data.sub_accounts()) keys += s.api_keys.size();
  for (bool quirks : {false, true}) {
    Rendering r;
    r.quirks = quirks;
    const auto parsed = api::parse_sub_account_api_keys(200, sub_account_apikey_body(data, r));
    ASSERT_TRUE(parsed) << quirks;
    EXPECT_EQ(parsed.value().rows.size(), keys) << quirks;
    EXPECT_FALSE(parsed.value().format.drifted()) << quirks;
  }
  Rendering changed;
  changed.drift.spot_formats_changed = true;
  const auto drifted = api::parse_sub_account_api_keys(200, sub_account_apikey_body(data, changed));
  ASSERT_TRUE(drifted);
  EXPECT_TRUE(drifted.value().format.drifted()) << "flags as Y/N are a format change";
  Rendering empty;
  empty.empty = true;
  EXPECT_TRUE(api::parse_sub_account_api_keys(200, sub_account_apikey_body(data, empty)).value().rows.empty());
}

TEST(SimTransfer, BothParametersAreRequiredAndTheUidMustBeASubAccount) {
  const Dataset data(7, 0, 3);
  const auto& sub = data.sub_accounts().at(1);
  auto query = [](api::QueryParams p) { return parse_transfer_query(p); };
  EXPECT_TRUE(std::holds_alternative<ParamError>(query({{"coinCode", "USDT"}})));
  EXPECT_TRUE(std::holds_alternative<ParamError>(query({{"subUid", "5"}})));
  EXPECT_TRUE(std::holds_alternative<ParamError>(query({{"subUid", "5"}, {"coinCode", "usdt"}})));
  EXPECT_TRUE(std::holds_alternative<ParamError>(query({{"subUid", "-5"}, {"coinCode", "USDT"}})));
  const auto q = query({{"subUid", std::to_string(sub.spot_uid)}, {"coinCode", "BTC"}});
  ASSERT_TRUE(std::holds_alternative<TransferQuery>(q));
  const auto body = transfer_available_body(data, std::get<TransferQuery>(q), Rendering{});
  ASSERT_TRUE(std::holds_alternative<std::string>(body));
  const auto parsed = api::parse_transfer_available(200, std::get<std::string>(body));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed.value().text, format_amount(sub.transferable.at("BTC")));
  const auto unknown = transfer_available_body(data, TransferQuery{1, "USDT"}, Rendering{});
  EXPECT_TRUE(std::holds_alternative<ParamError>(unknown));
  const auto other = transfer_available_body(data, TransferQuery{sub.spot_uid, "DOGE"}, Rendering{});
  EXPECT_EQ(api::parse_transfer_available(200, std::get<std::string>(other)).value().amount, 0)
      << "a coin it does not hold is 0";
}

TEST(SimTransfer, WithUnknownCoinsRefusedACoinNoSubAccountHoldsIsAParameterError) {
  const Dataset data(7, 0, 3);
  const auto& sub = data.sub_accounts().at(1);
  Rendering r;
  r.drift.unknown_coin_refused = true;
  const auto unknown = transfer_available_body(data, TransferQuery{sub.spot_uid, "NOSUCHCOIN0"}, r);
  ASSERT_TRUE(std::holds_alternative<ParamError>(unknown));
  EXPECT_EQ(std::get<ParamError>(unknown).code, kBadParam);
  const auto held = transfer_available_body(data, TransferQuery{sub.spot_uid, "BTC"}, r);
  EXPECT_TRUE(std::holds_alternative<std::string>(held)) << "a coin some sub-account holds is still answered";
}

}  // namespace
}  // namespace coinw::sim
