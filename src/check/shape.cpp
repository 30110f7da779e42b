#include "check/shape.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/timefmt.h"

namespace coinw::check {
namespace {

using nlohmann::json;

std::string kind_of(const json* v) {
  if (!v) return "absent";
  if (v->is_null()) return "null";
  if (v->is_string()) return "string";
  if (v->is_number()) return "number";
  if (v->is_boolean()) return "boolean";
  if (v->is_array()) return "array";
  return "object";
}

const json* field(const json& row, std::string_view key) {
  if (!row.is_object()) return nullptr;
  auto it = row.find(key);
  return it == row.end() ? nullptr : &*it;
}

}  // namespace

std::string pattern_of(std::string_view text) {
  std::string out;
  // Letters too are masked (but the T and Z of ISO 8601): a time field that
  // held a name must not show it.
  for (char c : text.substr(0, 40)) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    out += (c >= '0' && c <= '9') ? '9' : letter && c != 'T' && c != 'Z' ? 'a' : c;
  }
  return out;
}

std::string kinds_text(const std::map<std::string, size_t>& kinds) {
  std::string out;
  for (const auto& [kind, n] : kinds) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
  return out.empty() ? "none" : out;
}

bool only_kinds(const std::map<std::string, size_t>& kinds, std::initializer_list<std::string_view> allowed) {
  return std::all_of(kinds.begin(), kinds.end(), [&](const auto& k) {
    return std::find(allowed.begin(), allowed.end(), k.first) != allowed.end();
  });
}

BodyShape inspect_body(std::string_view body, std::span<const std::string_view> amount_fields,
                       std::span<const std::string_view> time_fields, int offset_s) {
  BodyShape out;
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return out;
  out.code_kind = kind_of(field(j, "code"));
  const json* data = field(j, "data");
  out.data_kind = kind_of(data);
  const json* list = data && data->is_object() ? field(*data, "list") : data;
  if (!list || !list->is_array()) return out;
  out.rows = list->size();
  for (const auto& row : *list) {
    for (auto key : amount_fields) ++out.amounts[kind_of(field(row, key))];
    for (auto key : time_fields) {
      const json* v = field(row, key);
      if (!v || !v->is_string()) {
        ++out.times[kind_of(v)];
        continue;
      }
      const auto& s = v->get_ref<const std::string&>();
      ++out.times[s.empty() ? "empty string" : '"' + pattern_of(s) + '"'];
      if (auto t = parse_coinw_time(s, offset_s)) out.instants.push_back(*t);
    }
  }
  return out;
}

}  // namespace coinw::check
