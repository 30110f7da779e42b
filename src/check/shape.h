#pragma once
// The shape of a raw CoinW answer, for the questions the parsers deliberately
// smooth over: is `code` a string or a number, how do amounts and times come.
// Pure. Values are reduced to kinds and patterns (every digit shown as 9), so
// nothing identifying survives; times that read in the configured zone are kept
// as instants for the zone check.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coinw::check {

struct BodyShape {
  // Kinds: string, number, boolean, array, object, null, absent.
  std::string code_kind;                  // empty: not JSON
  std::string data_kind;                  // of `data` itself (a scalar answer, as transferAvailable's)
  std::map<std::string, size_t> amounts;  // kind of each amount value
  std::map<std::string, size_t> times;    // pattern of each time value, or its JSON kind
  std::vector<int64_t> instants;          // the times that read in the zone, unix seconds
  size_t rows = 0;
};

// Rows are `data.list` or `data` itself when it is an array.
BodyShape inspect_body(std::string_view body, std::span<const std::string_view> amount_fields,
                       std::span<const std::string_view> time_fields, int offset_s);

// "9999-99-99 99:99:99" for "2026-11-01 00:00:00": the form without the value.
std::string pattern_of(std::string_view text);

// "12 string, 3 number": a kind count for a finding.
std::string kinds_text(const std::map<std::string, size_t>& kinds);
// Every kind counted is one of `allowed` (true for none counted).
bool only_kinds(const std::map<std::string, size_t>& kinds, std::initializer_list<std::string_view> allowed);

}  // namespace coinw::check
