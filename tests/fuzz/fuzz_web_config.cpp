// --web.config.file must yield a WebConfig or a WebConfigError; any other
// exception, crash or sanitizer report is a finding. Paths are only stored,
// never opened, by parse_web_config.
#include <cstdint>
#include <string_view>

#include "web/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  try {
    (void)coinw::web::parse_web_config(yaml, "web.yml");
  } catch (const coinw::web::WebConfigError&) {}
  (void)coinw::web::looks_like_bcrypt(yaml);
  return 0;
}
