#pragma once
// Pure parsers for CoinW responses, separate from I/O so they are tested with
// recorded JSON. They tolerate what the docs leave open (code as string or number,
// msg or message, amounts as strings or numbers, uid as number or string, total as
// number or digit string, null or missing optional fields) and never invent a
// value. They read field by field: only a row whose uid cannot be read is
// skipped; any other unreadable field leaves just that value out. Every
// unreadable field is counted, so drift in CoinW's format shows.
#include <array>
#include <cstdint>
#include <map>
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

// The fields each endpoint's rows are read from, as CoinW names them.
inline constexpr std::array<std::string_view, 7> kInviteeFields = {
    "uid", "totalDeposit", "totalWithdrawal", "currentBalance", "firstDepositAmount", "updateTime", "firstDepositTime"};
inline constexpr std::array<std::string_view, 6> kSubAccountFields = {
    "spotUid", "userCode", "nickName", "frozenFlag", "spotTradeFlag", "contractTradeFlag"};
inline constexpr std::array<std::string_view, 2> kRegistrationFields = {"uid", "registerTime"};
inline constexpr std::array<std::string_view, 3> kVolumeFields = {"uid", "volume", "time"};
inline constexpr std::array<std::string_view, 9> kApiKeyFields = {
    "userCode",         "apiKey",        "apiRemark",         "createdAt",   "readonlyFlag",
    "apiWhiteListFlag", "spotTradeFlag", "contractTradeFlag", "apiWhiteList"};
inline constexpr std::array<std::string_view, 1> kTransferAvailableFields = {"data"};

// How well one answer could be read.
struct FormatReport {
  size_t rows = 0;             // rows in the answer, readable or not
  size_t unreadable_rows = 0;  // rows with at least one field that could not be read
  // Unreadable or unexpected values (a frozenFlag of 2), by field name.
  std::map<std::string_view, size_t> invalid_fields;
  size_t text_repairs = 0;  // invalid UTF-8 and lone surrogates replaced by U+FFFD
  // More than 10% of the rows not fully readable: CoinW's format has likely
  // changed, and what could be read is not trusted.
  bool drifted() const { return unreadable_rows * 10 > rows; }
};

// One page of a paged affiliate list.
template <class Row>
struct Page {
  std::optional<int64_t> total;  // CoinW's count: a hint, often right
  std::vector<Row> rows;
  size_t invalid_rows = 0;  // rows skipped: their uid (for volume: day, volume) could not be read
  FormatReport format;
};
using InviteePage = Page<InviteeAsset>;

// A direct invitee's sign-up (Get Directly Invited User List).
struct Registration {
  uint64_t uid = 0;
  std::optional<int64_t> registered;  // unix seconds
};
using RegistrationPage = Page<Registration>;

// A direct invitee's trading volume on one day (Get Invited Users Trading Volume).
struct DailyVolume {
  uint64_t uid = 0;
  int32_t day = 0;  // `time`, days since 1970-01-01 (common/timefmt.h)
  double volume = 0;
};
using VolumePage = Page<DailyVolume>;

struct SubAccount {
  uint64_t uid = 0;
  std::string user_code;
  std::string nick_name;  // personal data: masked before it leaves the process
  bool frozen = false;    // any frozenFlag but 0 is frozen: fail safe
  bool spot_trade_enabled = false;
  bool contract_trade_enabled = false;
  // False when CoinW's flag could not be read: that flag's series is left out.
  bool spot_trade_known = true, contract_trade_known = true;
};

struct SubAccountList {
  std::vector<SubAccount> rows;
  size_t invalid_rows = 0;  // unreadable spotUid, or a uid seen twice
  FormatReport format;
};

// A sub-account's API key (subAccount_apikey). The public key never leaves the
// parser: only its masked form does (mask_api_key).
struct SubAccountApiKey {
  std::string user_code;  // the owner, as in SubAccount::user_code
  std::string key;        // masked
  // apiRemark is free text that may name a person: shown only through the
  // nick_name policy. The bound IPs (apiWhiteList) are never kept, only counted.
  std::string remark;
  size_t whitelist_ips = 0;
  std::optional<int64_t> created_ms;  // createdAt, unix milliseconds
  // Absent when CoinW's flag could not be read (anything but 0 or 1).
  std::optional<bool> read_only, ip_whitelist, spot_trade, contract_trade;
};

struct SubAccountApiKeys {
  std::vector<SubAccountApiKey> rows;
  size_t invalid_rows = 0;  // no readable userCode or apiKey, or a key seen twice
  FormatReport format;
};

// What one sub-account can move out of its funding account in one coin
// (subAccount_transferAvailable). An unreadable or negative `data` is a
// drifted answer.
struct TransferAvailable {
  double amount = 0;
  std::string text;  // the amount exactly as CoinW sent it
  size_t invalid_rows = 0;
  FormatReport format;
};

// "abcd***wxyz": four characters at each end (two for keys under 16), enough
// to tell a sub-account's keys apart, never the whole key.
std::string mask_api_key(std::string_view key);

// A decimal string or JSON-number amount; rejects garbage and non-finite values.
std::optional<double> parse_amount(std::string_view text);

// HTTP status and body of an invitee-assets response to a page, or a classified error.
Result<InviteePage> parse_invitee_page(int http_status, std::string_view body, int utc_offset_seconds);
Result<SubAccountList> parse_sub_accounts(int http_status, std::string_view body);
Result<RegistrationPage> parse_registration_page(int http_status, std::string_view body, int utc_offset_seconds);
// Rows dated outside [first_day, last_day] (the days asked for) are left out
// and counted as unexpected `time` values; a negative volume is unreadable.
Result<VolumePage> parse_volume_page(int http_status, std::string_view body, int32_t first_day, int32_t last_day);
Result<SubAccountApiKeys> parse_sub_account_api_keys(int http_status, std::string_view body);
Result<TransferAvailable> parse_transfer_available(int http_status, std::string_view body);

}  // namespace coinw::api
