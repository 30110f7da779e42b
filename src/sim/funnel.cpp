#include "sim/funnel.h"

#include <algorithm>
#include <chrono>

#include "common/coinw_facts.h"
#include "common/timefmt.h"

namespace coinw::sim {
namespace {

using nlohmann::json;

constexpr int64_t kDay = 86400;

// pageNo and pageSize as both endpoints take them; the size capped silently.
std::optional<ParamError> read_paging(std::optional<std::string> page_no, std::optional<std::string> page_size,
                                      int64_t& no, int64_t& size) {
  if (page_no) {
    auto v = parse_digits(*page_no, 9);
    if (!v || *v < 1) return ParamError{kBadParam, "pageNo must be a positive integer"};
    no = *v;
  }
  if (page_size) {
    auto v = parse_digits(*page_size, 9);
    if (!v || *v < 1) return ParamError{kBadParam, "pageSize must be a positive integer"};
    size = std::min<int64_t>(*v, facts::kFunnelMaxPageSize);
  }
  return std::nullopt;
}

std::optional<std::string> param(const api::QueryParams& params, std::string_view name) {
  const std::string* v = find_param(params, name);
  return v ? std::optional(*v) : std::nullopt;
}

// A number of the body as text: a JSON number or a string of digits.
std::optional<std::string> body_number(const json& body, const char* name, bool& bad) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_string()) return it->get<std::string>();
  bad = true;
  return std::nullopt;
}

json uid_json(int64_t uid, uint64_t quirks) {
  return (quirks & kQuirkStringUid) ? json(std::to_string(uid)) : json(uid);
}

}  // namespace

std::variant<RegistrationQuery, ParamError> parse_registration_query(const api::QueryParams& params, int offset_s,
                                                                     int64_t now, int max_range_days) {
  using namespace std::chrono;
  RegistrationQuery q;
  const year_month_day ymd{floor<days>(sys_seconds{seconds{now + offset_s}})};
  q.start = duration_cast<seconds>(sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch()).count() - offset_s;
  q.end = now;
  for (auto [name, slot] : {std::pair{"startTime", &q.start}, std::pair{"endTime", &q.end}}) {
    if (auto s = param(params, name)) {
      auto t = parse_coinw_time(*s, offset_s);
      if (!t) return ParamError{kBadParam, std::string(name) + " must be yyyy-MM-dd HH:mm:ss"};
      *slot = *t;
    }
  }
  if (q.start > q.end) return ParamError{kBadParam, "startTime is after endTime"};
  if (max_range_days > 0 && q.end - q.start > max_range_days * kDay)
    return ParamError{kBadParam, "time range too long"};
  if (auto e = read_paging(param(params, "pageNo"), param(params, "pageSize"), q.page_no, q.page_size)) return *e;
  return q;
}

std::variant<VolumeQuery, ParamError> parse_volume_body(std::string_view body, int offset_s, int64_t now,
                                                        int max_range_days) {
  // The docs ask for the body even when empty: a request without one is refused.
  const json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return ParamError{kBadParam, "the body must be a JSON object"};
  VolumeQuery q;
  q.today = q.last_day = local_day(now, offset_s);
  q.first_day = q.last_day - 29;
  for (auto [name, slot] : {std::pair{"startTime", &q.first_day}, std::pair{"endTime", &q.last_day}}) {
    auto it = j.find(name);
    if (it == j.end()) continue;
    auto day = it->is_string() ? parse_coinw_date(it->get<std::string>()) : std::nullopt;
    if (!day) return ParamError{kBadParam, std::string(name) + " must be yyyy-MM-dd"};
    *slot = *day;
  }
  if (q.first_day > q.last_day) return ParamError{kBadParam, "startTime is after endTime"};
  if (max_range_days > 0 && q.last_day - q.first_day + 1 > max_range_days)
    return ParamError{kBadParam, "the date range is too long"};
  bool bad = false;
  const auto uid = body_number(j, "uid", bad);
  const auto page_no = body_number(j, "pageNo", bad), page_size = body_number(j, "pageSize", bad);
  if (bad) return ParamError{kBadParam, "pageNo, pageSize and uid must be numbers"};
  if (uid) {
    auto v = parse_digits(*uid, 18);
    if (!v || *v < 1) return ParamError{kBadParam, "uid must be a positive integer"};
    q.uid = v;
  }
  if (auto e = read_paging(page_no, page_size, q.page_no, q.page_size)) return *e;
  return q;
}

std::string registration_list_body(const Dataset& data, const RegistrationQuery& q, const Rendering& r) {
  std::vector<Dataset::Signup> matched;
  if (!r.empty)
    for (const auto& s : data.signups())
      if (q.start <= s.registered && s.registered <= q.end) matched.push_back(s);
  std::stable_sort(matched.begin(), matched.end(),
                   [](const auto& a, const auto& b) { return a.registered > b.registered; });
  const auto page = page_slice(matched.size(), q.page_no, q.page_size);
  json list = json::array();
  for (size_t i = page.begin; i < page.end; ++i) {
    const auto& s = matched[i];
    list.push_back({{"uid", uid_json(s.uid, row_quirks(static_cast<uint64_t>(s.uid), r))},
                    {"registerTime", format_coinw_time(s.registered, r.offset_s)}});
  }
  return futures_page_body(std::move(list), matched.size(), r);
}

std::string volume_list_body(const Dataset& data, const VolumeQuery& q, const Rendering& r) {
  std::vector<std::pair<std::pair<int32_t, int64_t>, int64_t>> matched;
  if (!r.empty) {
    const auto& v = data.volumes();
    const int32_t last = r.drift.volume_closed_days_only ? std::min(q.last_day, q.today - 1) : q.last_day;
    for (auto it = v.lower_bound({q.first_day, 0}); it != v.end() && it->first.first <= last; ++it)
      if (!q.uid || it->first.second == *q.uid) matched.emplace_back(*it);
  }
  std::stable_sort(matched.begin(), matched.end(),
                   [](const auto& a, const auto& b) { return a.first.first > b.first.first; });
  const auto page = page_slice(matched.size(), q.page_no, q.page_size);
  json list = json::array();
  for (size_t i = page.begin; i < page.end; ++i) {
    const auto& [key, units] = matched[i];
    const uint64_t quirks = row_quirks(static_cast<uint64_t>(key.second) ^ static_cast<uint64_t>(key.first), r);
    list.push_back({{"uid", uid_json(key.second, quirks)},
                    {"volume", (quirks & kQuirkNumericAmount) ? json(static_cast<double>(units) / 1e8)
                                                              : json(format_amount(units))},
                    {"time", format_coinw_date(key.first)}});
  }
  return futures_page_body(std::move(list), matched.size(), r);
}

}  // namespace coinw::sim
