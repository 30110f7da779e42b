#pragma once
// Command-line flags in the Prometheus exporters' style (--flag=value or
// --flag value). Pure, so every flag and error is tested without a process.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "log/log.h"

namespace coinw::exporter {

inline constexpr const char* kDefaultListenAddress = ":9866";

struct CliOptions {
  std::string config_file;
  bool config_check = false;
  std::string listen_address = kDefaultListenAddress;
  std::string web_config_file;
  log::Level log_level = log::Level::info;
  log::Format log_format = log::Format::logfmt;
  bool help = false;
  bool version = false;
};

struct CliError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws CliError naming the flag and the reason.
CliOptions parse_cli(const std::vector<std::string>& args);
std::string usage();

}  // namespace coinw::exporter
