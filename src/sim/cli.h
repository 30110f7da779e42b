#pragma once
// coinw-sim's command-line flags, parsed by the FlagSet both binaries share.
#include <string>
#include <vector>

#include "common/flags.h"
#include "sim/options.h"

namespace coinw::sim {

struct Cli {
  Options options;
  // Read by the caller, so that parsing stays pure; it replaces options.secret_key.
  std::string secret_key_file;
  bool help = false;
};

// Throws FlagError naming the flag and the reason.
Cli parse_cli(const std::vector<std::string>& args);
std::string usage();

}  // namespace coinw::sim
