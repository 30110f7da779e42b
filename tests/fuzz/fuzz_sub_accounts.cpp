// Sub-account lists come from the network; any bytes must yield a list or a
// classified error, never a crash.
#include <cstdint>
#include <string_view>

#include "api/parse.h"

namespace {

// Weighted toward 200 where the row parser runs; the first byte picks one.
constexpr int kStatuses[16] = {200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 502, 503, 0, 302, 418, 999};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)coinw::api::parse_sub_accounts(kStatuses[data[0] & 15], body);
  return 0;
}
