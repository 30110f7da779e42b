#include "api/parse.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <unordered_set>

#include "common/coinw_facts.h"
#include "common/timefmt.h"

namespace coinw::api {
namespace {

using nlohmann::json;

ApiError malformed(std::string what, int status) {
  return ApiError{FailureReason::malformed_response, std::move(what), "", status, {}};
}

std::optional<std::string> code_of(const json& j) {
  auto it = j.find("code");
  if (it == j.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return std::nullopt;
}

std::string message_of(const json& j) {
  for (const char* key : {"msg", "message"}) {
    auto it = j.find(key);
    // Only the start of CoinW's text: it is shown in logs and must stay short.
    if (it != j.end() && it->is_string()) return it->get<std::string>().substr(0, 200);
  }
  return "";
}

// Parses the envelope shared by both endpoints; on success returns `data`.
Result<json> parse_envelope(int http_status, std::string_view body, std::string_view success_code) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    if (http_status != 200) {
      auto reason = classify_http_status(http_status);
      return ApiError{reason, "HTTP " + std::to_string(http_status) + " without a CoinW body", "",
                      http_status, {}};
    }
    return malformed(body.empty() ? "empty body" : "body is not a JSON object", http_status);
  }
  auto code = code_of(j);
  if (!code) {
    if (http_status != 200)
      return ApiError{classify_http_status(http_status), "HTTP " + std::to_string(http_status), "",
                      http_status, {}};
    return malformed("response has no code", http_status);
  }
  if (*code != success_code) {
    return ApiError{classify_code(*code), "CoinW code " + *code + ": " + message_of(j), *code,
                    http_status, {}};
  }
  if (http_status != 200)
    return ApiError{classify_http_status(http_status), "HTTP " + std::to_string(http_status), *code,
                    http_status, {}};
  auto data = j.find("data");
  if (data == j.end()) return malformed("success response has no data", http_status);
  return json(std::move(*data));
}

std::optional<uint64_t> parse_uid(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    auto i = v.get<int64_t>();
    if (i >= 0) return static_cast<uint64_t>(i);
    return std::nullopt;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    uint64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return out;
  }
  return std::nullopt;
}

// Optional fields: nullopt means "absent or null". A value that is present but
// unreadable sets `bad`, which rejects the whole row: no made-up values.
std::optional<double> amount_of(const json& row, const char* key, bool& bad) {
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return std::nullopt;
  std::optional<double> v;
  if (it->is_number()) {
    double d = it->get<double>();
    if (std::isfinite(d)) v = d;
  } else if (it->is_string()) {
    v = parse_amount(it->get_ref<const std::string&>());
  }
  if (!v) bad = true;
  return v;
}

std::optional<int64_t> time_of(const json& row, const char* key, int offset, bool& bad) {
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return std::nullopt;
  std::optional<int64_t> v;
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    v = parse_coinw_time(s, offset);
  }
  if (!v) bad = true;
  return v;
}

std::optional<bool> flag_of(const json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end()) return std::nullopt;
  if (it->is_number_integer()) {
    auto i = it->get<int64_t>();
    if (i == 0 || i == 1) return i == 1;
  } else if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s == "0" || s == "1") return s == "1";
  } else if (it->is_boolean()) {
    return it->get<bool>();
  }
  return std::nullopt;
}

std::optional<std::string> text_of(const json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return std::nullopt;
}

std::optional<InviteeAsset> parse_invitee_row(const json& row, int offset) {
  if (!row.is_object()) return std::nullopt;
  auto uid_it = row.find("uid");
  if (uid_it == row.end()) return std::nullopt;
  auto uid = parse_uid(*uid_it);
  if (!uid) return std::nullopt;
  bool bad = false;
  InviteeAsset a;
  a.uid = *uid;
  a.total_deposit = amount_of(row, "totalDeposit", bad);
  a.total_withdrawal = amount_of(row, "totalWithdrawal", bad);
  a.current_balance = amount_of(row, "currentBalance", bad);
  a.first_deposit_amount = amount_of(row, "firstDepositAmount", bad);
  a.update_time = time_of(row, "updateTime", offset, bad);
  a.first_deposit_time = time_of(row, "firstDepositTime", offset, bad);
  if (bad) return std::nullopt;
  return a;
}

std::optional<SubAccount> parse_sub_account_row(const json& row) {
  if (!row.is_object()) return std::nullopt;
  auto uid_it = row.find("spotUid");
  if (uid_it == row.end()) return std::nullopt;
  auto uid = parse_uid(*uid_it);
  auto frozen = flag_of(row, "frozenFlag");
  auto spot = flag_of(row, "spotTradeFlag");
  auto contract = flag_of(row, "contractTradeFlag");
  auto code = text_of(row, "userCode");
  auto nick = text_of(row, "nickName");
  if (!uid || !frozen || !spot || !contract || !code || !nick) return std::nullopt;
  return SubAccount{*uid, std::move(*code), std::move(*nick), *frozen, *spot, *contract};
}

}  // namespace

std::optional<double> parse_amount(std::string_view s) {
  double v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Result<InviteePage> parse_invitee_page(int http_status, std::string_view body,
                                       int utc_offset_seconds) {
  auto data = parse_envelope(http_status, body, facts::code::kFuturesSuccess);
  if (!data) return data.error();
  const json& d = data.value();
  if (!d.is_object()) return malformed("data is not an object", http_status);
  auto total_it = d.find("total");
  auto list_it = d.find("list");
  if (total_it == d.end() || !total_it->is_number_integer() || total_it->get<int64_t>() < 0)
    return malformed("data.total missing or not a count", http_status);
  InviteePage page;
  page.total = total_it->get<int64_t>();
  if (list_it == d.end() || list_it->is_null()) return page;
  if (!list_it->is_array()) return malformed("data.list is not an array", http_status);
  page.rows.reserve(list_it->size());
  for (const auto& row : *list_it) {
    if (auto a = parse_invitee_row(row, utc_offset_seconds)) {
      page.rows.push_back(*a);
    } else {
      ++page.invalid_rows;
    }
  }
  return page;
}

Result<SubAccountList> parse_sub_accounts(int http_status, std::string_view body) {
  auto data = parse_envelope(http_status, body, facts::code::kSpotSuccess);
  if (!data) return data.error();
  const json& d = data.value();
  SubAccountList out;
  if (d.is_null()) return out;
  if (!d.is_array()) return malformed("data is not an array", http_status);
  out.rows.reserve(d.size());
  // A uid seen twice would become duplicate series, which Prometheus reports as
  // duplicate samples and drops; which row is right cannot be known, so the
  // later one is skipped and counted.
  std::unordered_set<uint64_t> seen;
  for (const auto& row : d) {
    auto s = parse_sub_account_row(row);
    if (s && seen.insert(s->uid).second) {
      out.rows.push_back(std::move(*s));
    } else {
      ++out.invalid_rows;
    }
  }
  return out;
}

}  // namespace coinw::api
