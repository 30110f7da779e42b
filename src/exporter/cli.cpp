#include "exporter/cli.h"

namespace coinw::exporter {

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    auto take = [&]() -> std::string {
      if (value) return *value;
      if (i + 1 >= args.size()) throw CliError("flag " + flag + " needs a value");
      return args[++i];
    };
    auto boolean = [&]() {
      if (!value || *value == "true") return true;
      if (*value == "false") return false;
      throw CliError("flag " + flag + " takes true or false, not '" + *value + "'");
    };
    try {
      if (flag == "--config.file") o.config_file = take();
      else if (flag == "--config.check") o.config_check = boolean();
      else if (flag == "--web.listen-address") o.listen_address = take();
      else if (flag == "--web.config.file") o.web_config_file = take();
      else if (flag == "--log.level") o.log_level = log::parse_level(take());
      else if (flag == "--log.format") o.log_format = log::parse_format(take());
      else if (flag == "--help" || flag == "-h") o.help = true;
      else if (flag == "--version") o.version = true;
      else throw CliError("unknown flag " + flag + " (see --help)");
    } catch (const std::invalid_argument& e) {
      throw CliError("flag " + flag + ": " + e.what());
    }
  }
  if (o.config_file.empty() && !o.help && !o.version) throw CliError("flag --config.file is required");
  return o;
}

std::string usage() {
  return R"(Usage: coinw_exporter --config.file=FILE [flags]

Prometheus exporter for CoinW: direct-invitee assets and sub-account state.

Flags:
  --config.file=FILE         configuration file (YAML), required
  --config.check             validate the configuration, print a summary and exit (0 valid, 1 not)
  --web.listen-address=ADDR  address to serve on (default ":9866")
  --web.config.file=FILE     TLS and basic-auth settings (exporter-toolkit format)
  --log.level=LEVEL          debug, info, warn or error (default info)
  --log.format=FORMAT        logfmt or json (default logfmt)
  --version                  print the version and exit
  -h, --help                 print this help and exit

Signals: SIGHUP reloads the configuration (as does POST /-/reload); SIGTERM and
SIGINT shut down gracefully.
)";
}

}  // namespace coinw::exporter
