#pragma once
// The exporter's landing page (/): links, and per account the state of each
// of its collectors. Never a secret or personal value: names, counts and times.
#include <string>
#include <string_view>
#include <vector>

#include "collect/account.h"
#include "exporter/build_info.h"

namespace coinw::exporter {

std::string render_landing_page(const BuildInfo& build, std::string_view telemetry_path,
                                const std::vector<collect::AccountStatus>& accounts);

}  // namespace coinw::exporter
