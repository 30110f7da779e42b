#include "collect/state_codec.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace coinw::collect {
namespace {

using nlohmann::json;
constexpr const char* kFormat = "coinw-exporter-state";

}  // namespace

json time_json(const std::optional<WallTime>& t) {
  if (!t) return nullptr;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t->time_since_epoch()).count();
}

std::optional<WallTime> time_of(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(int_of(*it))));
}

json amount_json(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
double amount_of(const json& v) { return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>(); }
json unix_json(int64_t v, int64_t absent) { return v == absent ? json(nullptr) : json(v); }
int64_t unix_of(const json& v, int64_t absent) { return v.is_null() ? absent : int_of(v); }

int64_t int_of(const json& v) {
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX))
    throw std::invalid_argument("not an integer: " + v.dump());
  return v.get<int64_t>();
}

uint64_t uint_of(const json& v) {
  if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<int64_t>() < 0))
    throw std::invalid_argument("not a non-negative integer: " + v.dump());
  return v.get<uint64_t>();
}

std::string encode_state(const std::string& account, WallTime written, const std::vector<StateSlice>& slices) {
  json j = {
      {"format", kFormat}, {"version", kStateVersion}, {"account", account}, {"written_at_ns", time_json(written)}};
  for (const auto& slice : slices)
    if (slice) slice(j);
  return j.dump();
}

std::optional<json> decode_state(std::string_view text, const std::string& account, std::string& error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    error = text.empty() ? "empty file" : "not JSON (truncated or corrupt)";
    return std::nullopt;
  }
  if (const auto f = j.find("format"); f == j.end() || *f != kFormat) {
    error = "not a coinw-exporter state file";
    return std::nullopt;
  }
  if (!j.contains("version") || j["version"] != kStateVersion) {
    error = "state format version " + j.value("version", json()).dump() + ", this exporter reads version " +
            std::to_string(kStateVersion);
    return std::nullopt;
  }
  const auto name = j.find("account");
  if (name == j.end() || !name->is_string()) {
    error = "no account name";
    return std::nullopt;
  }
  if (*name != account) {
    error = "written for account '" + name->get<std::string>() + "'";
    return std::nullopt;
  }
  return j;
}

}  // namespace coinw::collect
