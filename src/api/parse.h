#pragma once
// Pure parsers for CoinW responses, separate from I/O so they are tested with
// recorded JSON. They tolerate what the docs leave open (code as string or number,
// msg or message, amounts as strings or numbers, uid as number or string, null or
// missing optional fields) and never invent a value: a row they cannot read is
// skipped and counted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.h"

namespace coinw::api {

struct InviteeAsset {
  uint64_t uid = 0;
  std::optional<double> total_deposit;
  std::optional<double> total_withdrawal;
  std::optional<double> current_balance;
  std::optional<double> first_deposit_amount;
  std::optional<int64_t> update_time;         // unix seconds
  std::optional<int64_t> first_deposit_time;  // unix seconds
};

struct InviteePage {
  int64_t total = 0;
  std::vector<InviteeAsset> rows;
  size_t invalid_rows = 0;
};

struct SubAccount {
  uint64_t uid = 0;
  std::string user_code;
  std::string nick_name;  // personal data: masked before it leaves the process
  bool frozen = false;
  bool spot_trade_enabled = false;
  bool contract_trade_enabled = false;
};

struct SubAccountList {
  std::vector<SubAccount> rows;
  size_t invalid_rows = 0;
};

// A decimal string or JSON-number amount; rejects garbage and non-finite values.
std::optional<double> parse_amount(std::string_view text);

// HTTP status and body of an invitee-assets response to a page, or a classified error.
Result<InviteePage> parse_invitee_page(int http_status, std::string_view body,
                                       int utc_offset_seconds);
Result<SubAccountList> parse_sub_accounts(int http_status, std::string_view body);

}  // namespace coinw::api
