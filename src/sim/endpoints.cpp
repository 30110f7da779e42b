#include "sim/endpoints.h"

#include <algorithm>

#include "common/timefmt.h"

namespace coinw::sim {
namespace {

using nlohmann::json;

// Bits of a quirk variant; each row or envelope uses a different hash, so a page
// mixes representations the way an inconsistent server would.
enum : uint64_t {
  kNumericCode = 1,    // envelope: "code": 0 instead of "0"
  kMessageField = 2,   // envelope: "message" instead of "msg"
  kExtraEnvelope = 4,  // envelope: unknown top-level field
  kStringUid = 1,      // row: uid as a string
  kNumericAmount = 2,  // row: amounts as JSON numbers
  kNullOptional = 4,   // row: null for zero withdrawals, absent first-deposit fields
  kExtraRow = 8,       // row: unknown fields
};

uint64_t mix(uint64_t x) {
  uint64_t s = x;
  return next_random(s);
}

json envelope(std::string_view code, std::string_view msg, const Rendering& r) {
  uint64_t v = r.quirks ? r.variant : 0;
  json j;
  if ((v & kNumericCode) || r.drift.numeric_code)
    j["code"] = std::stoll(std::string(code));
  else
    j["code"] = code;
  j[(v & kMessageField) ? "message" : "msg"] = msg;
  if (v & kExtraEnvelope) j["traceId"] = "sim-" + std::to_string(v % 100000);
  return j;
}

json amount_json(int64_t units, bool numeric) {
  if (numeric) return static_cast<double>(units) / 1e8;
  return format_amount(units);
}

// A spot answer's envelope around `data`, with its success and failed flags.
std::string spot_body(json data, const Rendering& r) {
  json j = envelope(facts::code::kSpotSuccess, "SUCCESS", r);
  j["data"] = std::move(data);
  j["success"] = !r.drift.spot_success_false;
  j["failed"] = r.drift.spot_success_false;
  return j.dump();
}

// Drift::formats_after: what a changed format could look like.
void change_formats(json& row, const Invitee& inv) {
  row["updateTime"] = inv.update_time * 1000;
  if (const Movement* first = inv.first_deposit()) row["firstDepositTime"] = first->time * 1000;
  row["totalDeposit"] = "";
}

// Placeholders in the JSON, swapped for raw bytes after dump(), which would
// refuse to write invalid UTF-8 itself.
constexpr std::string_view kBadByte = "@@sim-bad-byte@@", kLoneSurrogate = "@@sim-lone-surrogate@@";

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

json invitee_row(const Invitee& inv, const InviteeQuery& q, const Rendering& r) {
  uint64_t v = r.quirks ? mix(inv.uid) : 0;
  bool num = v & kNumericAmount;
  auto t = totals(inv, q.start, q.end);
  const Movement* first = inv.first_deposit();
  json row;
  row["uid"] = (v & kStringUid) ? json(std::to_string(inv.uid)) : json(inv.uid);
  row["totalDeposit"] = amount_json(t.deposit, num);
  row["totalWithdrawal"] = (v & kNullOptional) && t.withdrawal == 0 ? json() : amount_json(t.withdrawal, num);
  row["currentBalance"] = amount_json(inv.balance, num);
  if (first) {
    row["firstDepositAmount"] = amount_json(first->amount, num);
    row["firstDepositTime"] = format_coinw_time(first->time, r.offset_s);
  } else if (!(v & kNullOptional)) {
    row["firstDepositAmount"] = nullptr;
    row["firstDepositTime"] = nullptr;
  }
  row["updateTime"] = format_coinw_time(inv.update_time, r.offset_s);
  if (v & kExtraRow) {
    row["inviteLevel"] = 1;
    row["tags"] = json::array({"sim"});
  }
  if (r.formats_changed) change_formats(row, inv);
  return row;
}

}  // namespace

std::optional<int64_t> parse_digits(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

const std::string* find_param(const api::QueryParams& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return &v;
  return nullptr;
}

uint64_t hash_text(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return h;
}

PageSlice page_slice(size_t total, int64_t page_no, int64_t page_size) {
  if (page_no < 1 || page_size < 1) return {};
  // Divide first so huge page numbers cannot overflow.
  if (static_cast<uint64_t>(page_no - 1) >= (total + page_size - 1) / static_cast<uint64_t>(page_size))
    return {total, total};
  size_t begin = static_cast<size_t>(page_no - 1) * static_cast<size_t>(page_size);
  return {begin, std::min(total, begin + static_cast<size_t>(page_size))};
}

std::variant<InviteeQuery, ParamError> parse_invitee_query(const api::QueryParams& params, int default_page_size,
                                                           int page_size_cap, int offset_s) {
  InviteeQuery q;
  q.page_size = default_page_size;
  if (auto* s = find_param(params, "uid")) {
    auto v = parse_digits(*s, 9);
    if (!v || *v < 1) return ParamError{kBadParam, "uid must be a positive integer"};
    q.uid = v;
  }
  for (auto [name, slot] : {std::pair{"startTime", &q.start}, std::pair{"endTime", &q.end}}) {
    if (auto* s = find_param(params, name)) {
      auto t = parse_coinw_time(*s, offset_s);
      if (!t) return ParamError{kBadParam, std::string(name) + " must be yyyy-MM-dd HH:mm:ss"};
      *slot = t;
    }
  }
  if (q.start && q.end && *q.start > *q.end) return ParamError{kBadParam, "startTime is after endTime"};
  if (auto* s = find_param(params, "quote")) {
    auto quote = parse_quote(*s);
    if (!quote) return ParamError{kBadQuote, "quote must be usdt or usdc"};
    q.quote = *quote;
  }
  if (auto* s = find_param(params, "pageNo")) {
    auto v = parse_digits(*s, 9);
    if (!v || *v < 1) return ParamError{kBadParam, "pageNo must be a positive integer"};
    q.page_no = *v;
  }
  if (auto* s = find_param(params, "pageSize")) {
    auto v = parse_digits(*s, 9);
    if (!v || *v < 1) return ParamError{kBadParam, "pageSize must be a positive integer"};
    q.page_size = std::min<int64_t>(*v, page_size_cap);  // the cap is silent, as the docs imply
  }
  return q;
}

std::string invitee_assets_body(const Dataset& data, const InviteeQuery& q, const Rendering& r) {
  const auto& all = data.invitees(q.quote);
  std::vector<const Invitee*> matched;
  const bool windowed = q.start || q.end;
  for (const auto& inv : all) {
    if (q.uid && inv.uid != *q.uid) continue;
    if (windowed && r.drift.window_active_only) {
      const auto t = totals(inv, q.start, q.end);
      if (t.deposit == 0 && t.withdrawal == 0) continue;
    }
    matched.push_back(&inv);
  }
  if (r.empty) matched.clear();
  auto page = page_slice(matched.size(), q.page_no, q.page_size);
  json list = json::array();
  for (size_t i = page.begin; i < page.end; ++i) list.push_back(invitee_row(*matched[i], q, r));
  return futures_page_body(std::move(list), matched.size(), r);
}

std::string futures_page_body(json list, size_t matched, const Rendering& r) {
  json j = envelope(facts::code::kFuturesSuccess, "success", r);
  const int64_t total = std::max<int64_t>(0, static_cast<int64_t>(matched) + (r.empty ? 0 : r.drift.total_skew));
  j["data"] = {{"total", r.drift.total_as_string ? json(std::to_string(total)) : json(total)},
               {"list", std::move(list)}};
  return j.dump();
}

uint64_t row_quirks(uint64_t key, const Rendering& r) { return r.quirks ? mix(key) : 0; }

std::string sub_account_list_body(const Dataset& data, const Rendering& r) {
  json rows = json::array();
  for (const auto& s : data.sub_accounts()) {
    uint64_t v = r.quirks ? mix(static_cast<uint64_t>(s.spot_uid)) : 0;
    json row;
    row["spotUid"] = (v & kStringUid) ? json(std::to_string(s.spot_uid)) : json(s.spot_uid);
    row["userCode"] = s.user_code;
    row["nickName"] = (v & kNullOptional) ? json() : json(s.nick_name);
    if (r.drift.bad_nick_names && rows.size() % 3 != 2)
      row["nickName"] = s.nick_name + std::string(rows.size() % 3 ? kLoneSurrogate : kBadByte);
    // Flags as strings is the numeric-amount quirk's counterpart here.
    auto flag = [&](bool b) { return (v & kNumericAmount) ? json(b ? "1" : "0") : json(b ? 1 : 0); };
    row["frozenFlag"] = s.frozen && r.drift.frozen_flag_two ? json(2) : flag(s.frozen);
    row["spotTradeFlag"] = flag(s.spot_trade);
    row["contractTradeFlag"] = flag(s.contract_trade);
    if (v & kExtraRow) row["createdBy"] = "sim";
    rows.push_back(std::move(row));
  }
  std::string body = spot_body(std::move(rows), r);
  if (r.drift.bad_nick_names) {
    replace_all(body, kBadByte, "\xFF");
    replace_all(body, kLoneSurrogate, "\\ud800");
  }
  return body;
}

std::string sub_account_apikey_body(const Dataset& data, const Rendering& r) {
  json rows = json::array();
  if (r.empty) return spot_body(std::move(rows), r);
  for (const auto& s : data.sub_accounts())
    for (const auto& k : s.api_keys) {
      const uint64_t v = r.quirks ? mix(hash_text(k.key)) : 0;
      auto flag = [&](bool b) {
        if (r.drift.spot_formats_changed) return json(b ? "Y" : "N");
        return (v & kNumericAmount) ? json(b ? "1" : "0") : json(b ? 1 : 0);
      };
      std::string ips;
      for (const auto& ip : k.whitelist) ips += (ips.empty() ? "" : ",") + ip;
      json row;
      row["userCode"] = s.user_code;
      row["nickName"] = s.nick_name;
      row["apiRemark"] = k.remark;
      row["apiKey"] = k.key;
      row["createdAt"] = (v & kStringUid) ? json(std::to_string(k.created_ms)) : json(k.created_ms);
      row["readonlyFlag"] = flag(k.read_only);
      row["apiWhiteListFlag"] = flag(k.ip_whitelist);
      row["spotTradeFlag"] = flag(k.spot_trade);
      row["contractTradeFlag"] = flag(k.contract_trade);
      // The docs say "the bound IPs" without a shape: a list, or one string.
      row["apiWhiteList"] = (v & kNullOptional) ? json(k.whitelist) : json(ips);
      if (v & kExtraRow) row["permissions"] = json::array({"read"});
      rows.push_back(std::move(row));
    }
  return spot_body(std::move(rows), r);
}

std::variant<TransferQuery, ParamError> parse_transfer_query(const api::QueryParams& params) {
  TransferQuery q;
  const std::string* uid = find_param(params, "subUid");
  const auto v = uid ? parse_digits(*uid, 18) : std::nullopt;
  if (!v || *v < 1) return ParamError{kBadParam, "subUid must be a positive integer"};
  q.sub_uid = *v;
  const std::string* coin = find_param(params, "coinCode");
  const bool ok = coin && !coin->empty() && coin->size() <= 16 && std::all_of(coin->begin(), coin->end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                  });
  if (!ok) return ParamError{kBadParam, "coinCode must be a coin code such as USDT"};
  q.coin = *coin;
  return q;
}

std::variant<std::string, ParamError> transfer_available_body(const Dataset& data, const TransferQuery& q,
                                                              const Rendering& r) {
  const auto& subs = data.sub_accounts();
  const auto s = std::find_if(subs.begin(), subs.end(), [&](const SubAccount& x) { return x.spot_uid == q.sub_uid; });
  if (s == subs.end()) return ParamError{kBadParam, "subUid is not a sub-account of this account"};
  const auto held = s->transferable.find(q.coin);
  if (r.drift.unknown_coin_refused &&
      std::none_of(subs.begin(), subs.end(), [&](const SubAccount& x) { return x.transferable.contains(q.coin); }))
    return ParamError{kBadParam, "coinCode is not a coin this exchange lists"};
  const int64_t units = held == s->transferable.end() ? 0 : held->second;
  json amount = (r.quirks && (mix(r.variant) & kNumericAmount)) ? amount_json(units, true) : amount_json(units, false);
  if (r.drift.spot_formats_changed) amount = {{"amount", format_amount(units)}};
  return spot_body(std::move(amount), r);
}

std::string futures_error_body(std::string_view code, std::string_view msg, const Rendering& r) {
  return envelope(code, msg, r).dump();
}

std::string spot_error_body(std::string_view code, std::string_view msg, const Rendering& r) {
  json j = envelope(code, msg, r);
  j["success"] = false;
  j["failed"] = true;
  return j.dump();
}

}  // namespace coinw::sim
