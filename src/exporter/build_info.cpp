#include "exporter/build_info.h"

namespace coinw::exporter {

std::string version_text(const BuildInfo& b) {
  std::string out =
      "coinw_exporter, version " + b.version + " (branch: " + b.branch + ", revision: " + b.revision + ")\n";
  for (const auto& [key, value] : {std::pair{"build user", &b.build_user}, std::pair{"build date", &b.build_date},
                                   std::pair{"compiler", &b.compiler}, std::pair{"platform", &b.platform}}) {
    std::string label = std::string("  ") + key + ":";
    out += label + std::string(20 - label.size(), ' ') + *value + "\n";
  }
  return out;
}

}  // namespace coinw::exporter
