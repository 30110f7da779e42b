#pragma once
// The state file's format (docs/operations.md, "State directory"), as pure functions so
// it is tested and fuzzed without a disk: an envelope (format, version,
// account, written_at_ns) around the slices the collectors write into it
// (Collector::snapshot) and read back (Collector::restore). A collector that
// is added later adds keys of its own; files without them still read.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "collect/collector.h"

namespace coinw::collect {

inline constexpr int kStateVersion = 1;

std::string encode_state(const std::string& account, WallTime written, const std::vector<StateSlice>& slices);
// The file's JSON once its envelope says it is this account's state in this
// version, or why not.
std::optional<nlohmann::json> decode_state(std::string_view text, const std::string& account, std::string& error);

// How the slices write values: times in unix nanoseconds, row times in unix
// seconds, absent values as null.
nlohmann::json time_json(const std::optional<WallTime>& t);
std::optional<WallTime> time_of(const nlohmann::json& j, const char* key);
nlohmann::json amount_json(double v);  // NaN: absent
double amount_of(const nlohmann::json& v);
nlohmann::json unix_json(int64_t v, int64_t absent);
int64_t unix_of(const nlohmann::json& v, int64_t absent);
// The slice `key` of a state file (`fetched_at_ns` and `rows`), when its fetch
// time is still usable: each row converted by `row_of`. Nothing otherwise.
template <class Row, class RowOf>
std::optional<std::pair<WallTime, std::vector<Row>>> usable_rows(const nlohmann::json& file, const char* key,
                                                                 const RestoreContext& r, RowOf row_of) {
  const auto slice = file.find(key);
  if (slice == file.end()) return std::nullopt;
  const auto fetched = time_of(*slice, "fetched_at_ns");
  if (!r.usable(fetched)) return std::nullopt;
  std::vector<Row> rows;
  for (const auto& row : slice->at("rows")) rows.push_back(row_of(row));
  return std::pair{*fetched, std::move(rows)};
}

// Integers only as JSON integers: a float where an integer belongs (1e20) is
// a bad file, not a number to convert. Throws std::invalid_argument.
int64_t int_of(const nlohmann::json& v);
uint64_t uint_of(const nlohmann::json& v);

}  // namespace coinw::collect
