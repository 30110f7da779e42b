// The repair that runs on every CoinW body before JSON parsing (the other two
// API targets run it too). Properties: repaired text needs no further repair,
// text that needed none is reported as such, and a body the strict parser
// accepts is never touched.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/utf8.h"

namespace {

void check(bool ok, const char* property) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto r = coinw::api::repair_json_text(body);
  check((r.repairs == 0) == r.text.empty() || body.empty(), "text is set exactly when something was repaired");
  if (r.repairs == 0) return 0;
  check(coinw::api::repair_json_text(r.text).repairs == 0, "repair is idempotent");
  check(nlohmann::json::parse(body, nullptr, false).is_discarded(), "a body the parser accepts needs no repair");
  return 0;
}
