// The repair that runs on every CoinW body before JSON parsing (the other two
// API targets run it too). Properties: repaired text needs no further repair,
// text that needed none is reported as such, and a body the strict parser
// accepts is never touched.
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/utf8.h"
#include "fuzz_check.h"

using coinw::api::repair_json_text;
using coinw::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto r = repair_json_text(body);
  check((r.repairs == 0) == r.text.empty() || body.empty(), "text is set exactly when something was repaired");
  if (r.repairs == 0) return 0;
  check(repair_json_text(r.text).repairs == 0, "repair is idempotent");
  // The parser stops at a NUL byte, so what follows one is never its concern.
  const std::string_view parsed = body.substr(0, body.find('\0'));
  if (parsed.size() == body.size() || repair_json_text(parsed).repairs > 0)
    check(nlohmann::json::parse(parsed, nullptr, false).is_discarded(), "a body the parser accepts needs no repair");
  return 0;
}
