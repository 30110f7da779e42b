#pragma once
// The exporter's command-line flags, parsed by the FlagSet both binaries share.
#include <string>
#include <vector>

#include "common/flags.h"
#include "log/log.h"

namespace coinw::exporter {

inline constexpr const char* kDefaultListenAddress = ":9866";

struct CliOptions {
  std::string config_file;
  bool config_check = false;
  bool api_check = false;
  bool format_json = false;  // --format=json, for --api.check
  std::vector<std::string> listen_addresses{kDefaultListenAddress};
  std::string telemetry_path = "/metrics";
  bool enable_lifecycle = false;  // POST /-/reload; SIGHUP reloads regardless
  int max_requests = 0;           // scrapes at once; 0: no limit
  std::string web_config_file;
  log::Level log_level = log::Level::info;
  log::Format log_format = log::Format::logfmt;
  bool help = false;
  bool version = false;
};

using CliError = FlagError;

// Throws CliError naming the flag and the reason.
CliOptions parse_cli(const std::vector<std::string>& args);
std::string usage();

}  // namespace coinw::exporter
