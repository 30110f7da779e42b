#include "api/parse.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <unordered_set>

#include "api/utf8.h"
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
// The body is repaired first, so one bad text field cannot reject it whole.
Result<json> parse_envelope(int http_status, std::string_view raw, std::string_view success_code,
                            FormatReport& report) {
  auto repaired = repair_json_text(raw);
  report.text_repairs = repaired.repairs;
  const std::string_view body = repaired.repairs ? std::string_view(repaired.text) : raw;
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    if (http_status != 200) {
      auto reason = classify_http_status(http_status);
      return ApiError{reason, "HTTP " + std::to_string(http_status) + " without a CoinW body", "", http_status, {}};
    }
    return malformed(body.empty() ? "empty body" : "body is not a JSON object", http_status);
  }
  auto code = code_of(j);
  if (!code) {
    if (http_status != 200)
      return ApiError{classify_http_status(http_status), "HTTP " + std::to_string(http_status), "", http_status, {}};
    return malformed("response has no code", http_status);
  }
  if (*code != success_code) {
    return ApiError{classify_code(*code), "CoinW code " + *code + ": " + message_of(j), *code, http_status, {}};
  }
  if (http_status != 200)
    return ApiError{classify_http_status(http_status), "HTTP " + std::to_string(http_status), *code, http_status, {}};
  // Spot answers also say success/failed; either one saying "no" wins over the code.
  auto says = [&](const char* key, bool value) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>() == value;
  };
  if (says("success", false) || says("failed", true))
    return ApiError{FailureReason::api_error,
                    "CoinW code " + *code + " but not a success: " + message_of(j),
                    *code,
                    http_status,
                    {}};
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

// One row's fields, read one at a time: what cannot be read is counted under
// its field name and marks the row as not fully read.
struct RowReader {
  const json& row;
  FormatReport& report;
  bool fully_read = true;

  // Absent or null (documented as possible for optional fields): nullptr.
  const json* find(std::string_view key) const {
    auto it = row.find(key);
    return it == row.end() || it->is_null() ? nullptr : &*it;
  }
  void unexpected(std::string_view key) { ++report.invalid_fields[key]; }
  void unreadable(std::string_view key) {
    unexpected(key);
    fully_read = false;
  }

  std::optional<double> amount(std::string_view key) {
    const json* v = find(key);
    if (!v) return std::nullopt;
    std::optional<double> out;
    if (v->is_number()) {
      double d = v->get<double>();
      if (std::isfinite(d)) out = d;
    } else if (v->is_string()) {
      out = parse_amount(v->get_ref<const std::string&>());
    }
    if (!out) unreadable(key);
    return out;
  }

  std::optional<int64_t> time(std::string_view key, int offset) {
    return text_as(key, [offset](const std::string& s) { return parse_coinw_time(s, offset); });
  }

  std::optional<int32_t> date(std::string_view key) { return text_as(key, parse_coinw_date); }

  // A string read by `parse`; an empty one is absent.
  template <class Parse>
  auto text_as(std::string_view key, Parse parse) -> decltype(parse(std::string())) {
    const json* v = find(key);
    if (!v) return std::nullopt;
    decltype(parse(std::string())) out;
    if (v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      if (s.empty()) return std::nullopt;
      out = parse(s);
    }
    if (!out) unreadable(key);
    return out;
  }

  // An integer as a number, digit string or boolean (a 0/1 flag); required.
  std::optional<int64_t> integer(std::string_view key) {
    const json* v = find(key);
    std::optional<int64_t> out;
    if (!v) {
    } else if (v->is_number_integer()) {
      out = v->get<int64_t>();
    } else if (v->is_boolean()) {
      out = v->get<bool>() ? 1 : 0;
    } else if (v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      int64_t i = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
      if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) out = i;
    }
    if (!out) unreadable(key);
    return out;
  }

  // Sets `known` false when the flag is neither 0 nor 1.
  bool trade_flag(std::string_view key, bool& known) {
    auto v = integer(key);
    known = v && (*v == 0 || *v == 1);
    if (v && !known) unreadable(key);
    return known && *v == 1;
  }

  // A 0/1 flag, or nothing (counted) when it is anything else.
  std::optional<bool> bit(std::string_view key) {
    bool known = false;
    const bool v = trade_flag(key, known);
    return known ? std::optional(v) : std::nullopt;
  }

  // Text that identifies the row: a non-empty string (or an integer).
  std::optional<std::string> required_text(std::string_view key) {
    const json* v = find(key);
    std::string out;
    if (v && v->is_string())
      out = v->get<std::string>();
    else if (v && v->is_number_integer())
      out = std::to_string(v->get<int64_t>());
    if (out.empty()) {
      unreadable(key);
      return std::nullopt;
    }
    return out;
  }

  // Strings as a JSON array, or one string split at commas, semicolons and
  // blanks; absent, null or empty is none.
  std::vector<std::string> list(std::string_view key) {
    const json* v = find(key);
    std::vector<std::string> out;
    if (!v) return out;
    auto add = [&](std::string_view text) {
      size_t at = 0;
      while (at < text.size()) {
        const size_t end = std::min(text.find_first_of(",; \t\n", at), text.size());
        if (end > at) out.emplace_back(text.substr(at, end - at));
        at = end + 1;
      }
    };
    if (v->is_string()) {
      add(v->get_ref<const std::string&>());
    } else if (v->is_array() && std::all_of(v->begin(), v->end(), [](const json& e) { return e.is_string(); })) {
      for (const auto& e : *v) add(e.get_ref<const std::string&>());
    } else {
      unreadable(key);
    }
    return out;
  }

  std::string text(std::string_view key) {
    const json* v = find(key);
    if (!v) return std::string();
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number_integer()) return std::to_string(v->get<int64_t>());
    unreadable(key);
    return std::string();
  }

  std::optional<uint64_t> uid(std::string_view key) {
    const json* v = row.is_object() ? find(key) : nullptr;
    auto out = v ? parse_uid(*v) : std::nullopt;
    if (!out) unreadable(key);
    return out;
  }
};

std::optional<InviteeAsset> parse_invitee_row(RowReader& r, int offset) {
  auto uid = r.uid("uid");
  if (!uid) return std::nullopt;
  InviteeAsset a;
  a.uid = *uid;
  a.total_deposit = r.amount("totalDeposit");
  a.total_withdrawal = r.amount("totalWithdrawal");
  a.current_balance = r.amount("currentBalance");
  a.first_deposit_amount = r.amount("firstDepositAmount");
  a.update_time = r.time("updateTime", offset);
  a.first_deposit_time = r.time("firstDepositTime", offset);
  return a;
}

std::optional<Registration> parse_registration_row(RowReader& r, int offset) {
  auto uid = r.uid("uid");
  if (!uid) return std::nullopt;
  return Registration{*uid, r.time("registerTime", offset)};
}

std::optional<DailyVolume> parse_volume_row(RowReader& r, int32_t first_day, int32_t last_day) {
  auto uid = r.uid("uid");
  if (!uid) return std::nullopt;
  const auto day = r.date("time");
  auto volume = r.amount("volume");
  if (volume && *volume < 0) {
    r.unreadable("volume");
    volume.reset();
  }
  // A volume without its day, or a day without its volume, adds to nothing:
  // skipped and counted with the invalid rows, which keep their place on the page.
  if (!day || !volume) return std::nullopt;
  // Not a day we asked for: CoinW's filter works differently than documented.
  if (*day < first_day || *day > last_day) {
    r.unexpected("time");
    return std::nullopt;
  }
  return DailyVolume{*uid, *day, *volume};
}

std::optional<SubAccount> parse_sub_account_row(RowReader& r) {
  auto uid = r.uid("spotUid");
  if (!uid) return std::nullopt;
  SubAccount s;
  s.uid = *uid;
  s.user_code = r.text("userCode");
  s.nick_name = r.text("nickName");
  // Anything but a clear 0 is frozen, so a new flag value cannot hide a frozen
  // sub-account from its alert; values other than 0 and 1 are counted.
  const auto frozen = r.integer("frozenFlag");
  s.frozen = !frozen || *frozen != 0;
  if (frozen && *frozen != 0 && *frozen != 1) r.unexpected("frozenFlag");
  s.spot_trade_enabled = r.trade_flag("spotTradeFlag", s.spot_trade_known);
  s.contract_trade_enabled = r.trade_flag("contractTradeFlag", s.contract_trade_known);
  return s;
}

// CoinW's keys are printable ASCII; anything shorter than 8 is not a key.
bool plausible_key(std::string_view key) {
  return key.size() >= 8 && key.size() <= 256 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::optional<SubAccountApiKey> parse_api_key_row(RowReader& r) {
  auto user_code = r.required_text("userCode");
  auto key = r.required_text("apiKey");
  if (key && !plausible_key(*key)) {
    r.unreadable("apiKey");
    key.reset();
  }
  if (!user_code || !key) return std::nullopt;
  SubAccountApiKey k;
  k.user_code = std::move(*user_code);
  k.key = mask_api_key(*key);
  k.remark = r.text("apiRemark");
  k.whitelist_ips = r.list("apiWhiteList").size();
  k.created_ms = r.integer("createdAt");
  if (k.created_ms && *k.created_ms < 0) {
    r.unreadable("createdAt");
    k.created_ms.reset();
  }
  k.read_only = r.bit("readonlyFlag");
  k.ip_whitelist = r.bit("apiWhiteListFlag");
  k.spot_trade = r.bit("spotTradeFlag");
  k.contract_trade = r.bit("contractTradeFlag");
  return k;
}

// data.total as a number or a string of digits; absent or null is no count.
std::optional<std::optional<int64_t>> total_of(const json& d) {
  auto it = d.find("total");
  if (it == d.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number_integer() && it->get<int64_t>() >= 0) return std::optional<int64_t>(it->get<int64_t>());
  if (it->is_number_unsigned()) return std::nullopt;  // beyond int64: not a count
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty() && v >= 0) return std::optional<int64_t>(v);
  }
  return std::nullopt;
}

// Reads every row of `list` with `parse`, into `rows` or counted as invalid.
template <class Row, class Parse>
void read_rows(const json& list, std::vector<Row>& rows, size_t& invalid_rows, FormatReport& report, Parse parse) {
  rows.reserve(list.size());
  report.rows = list.size();
  for (const auto& row : list) {
    RowReader reader{row, report};
    auto parsed = parse(reader);
    if (!reader.fully_read) ++report.unreadable_rows;
    if (parsed)
      rows.push_back(std::move(*parsed));
    else
      ++invalid_rows;
  }
}

// The affiliate envelope around `data: {total, list}`, every row read by `parse`.
template <class Row, class Parse>
Result<Page<Row>> parse_page(int http_status, std::string_view body, Parse parse) {
  Page<Row> page;
  auto data = parse_envelope(http_status, body, facts::code::kFuturesSuccess, page.format);
  if (!data) return data.error();
  const json& d = data.value();
  if (d.is_null()) return page;  // an affiliate without invitees
  if (!d.is_object()) return malformed("data is not an object", http_status);
  auto total = total_of(d);
  if (!total) return malformed("data.total is not a count", http_status);
  page.total = *total;
  auto list_it = d.find("list");
  if (list_it == d.end() || list_it->is_null()) {
    if (page.total.value_or(0) > 0) return malformed("data.list missing while data.total is not 0", http_status);
    return page;
  }
  if (!list_it->is_array()) return malformed("data.list is not an array", http_status);
  read_rows(*list_it, page.rows, page.invalid_rows, page.format, parse);
  return page;
}

}  // namespace

std::string mask_api_key(std::string_view key) {
  const size_t shown = key.size() >= 16 ? 4 : key.size() >= 8 ? 2 : 0;
  if (!shown) return "***";
  return std::string(key.substr(0, shown)) + "***" + std::string(key.substr(key.size() - shown));
}

std::optional<double> parse_amount(std::string_view s) {
  double v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Result<InviteePage> parse_invitee_page(int http_status, std::string_view body, int utc_offset_seconds) {
  return parse_page<InviteeAsset>(http_status, body,
                                  [&](RowReader& r) { return parse_invitee_row(r, utc_offset_seconds); });
}

Result<RegistrationPage> parse_registration_page(int http_status, std::string_view body, int utc_offset_seconds) {
  return parse_page<Registration>(http_status, body,
                                  [&](RowReader& r) { return parse_registration_row(r, utc_offset_seconds); });
}

Result<VolumePage> parse_volume_page(int http_status, std::string_view body, int32_t first_day, int32_t last_day) {
  return parse_page<DailyVolume>(http_status, body,
                                 [&](RowReader& r) { return parse_volume_row(r, first_day, last_day); });
}

Result<SubAccountList> parse_sub_accounts(int http_status, std::string_view body) {
  SubAccountList out;
  auto data = parse_envelope(http_status, body, facts::code::kSpotSuccess, out.format);
  if (!data) return data.error();
  const json& d = data.value();
  if (d.is_null()) return out;
  if (!d.is_array()) return malformed("data is not an array", http_status);
  // A uid seen twice would become duplicate series, which Prometheus reports as
  // duplicate samples and drops; which row is right cannot be known, so the
  // later one is skipped and counted.
  std::unordered_set<uint64_t> seen;
  read_rows(d, out.rows, out.invalid_rows, out.format, [&](RowReader& r) {
    auto s = parse_sub_account_row(r);
    if (s && !seen.insert(s->uid).second) s.reset();
    return s;
  });
  return out;
}

Result<SubAccountApiKeys> parse_sub_account_api_keys(int http_status, std::string_view body) {
  SubAccountApiKeys out;
  auto data = parse_envelope(http_status, body, facts::code::kSpotSuccess, out.format);
  if (!data) return data.error();
  const json& d = data.value();
  if (d.is_null()) return out;
  if (!d.is_array()) return malformed("data is not an array", http_status);
  // Two rows for one owner and masked key would be one series twice: the later is skipped.
  std::set<std::pair<std::string, std::string>> seen;
  read_rows(d, out.rows, out.invalid_rows, out.format, [&](RowReader& r) {
    auto k = parse_api_key_row(r);
    if (k && !seen.emplace(k->user_code, k->key).second) k.reset();
    return k;
  });
  return out;
}

Result<TransferAvailable> parse_transfer_available(int http_status, std::string_view body) {
  TransferAvailable out;
  auto data = parse_envelope(http_status, body, facts::code::kSpotSuccess, out.format);
  if (!data) return data.error();
  // One value, read as a one-row answer: unreadable, it makes the answer drifted.
  out.format.rows = 1;
  const json row = {{"data", std::move(data.value())}};
  RowReader r{row, out.format};
  auto amount = r.amount("data");
  if (amount && *amount < 0) {
    r.unreadable("data");
    amount.reset();
  }
  if (!amount && r.fully_read) r.unreadable("data");  // absent or null
  if (!r.fully_read) {
    ++out.format.unreadable_rows;
    return out;
  }
  out.amount = *amount;
  const json& v = row.at("data");
  out.text = v.is_string() ? v.get<std::string>() : v.dump();
  return out;
}

}  // namespace coinw::api
