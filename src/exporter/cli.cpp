#include "exporter/cli.h"

#include <stdexcept>

#include "web/server.h"

namespace coinw::exporter {
namespace {

constexpr const char* kUsageHead = R"(Usage: coinw_exporter --config.file=FILE [flags]

Prometheus exporter for CoinW: direct-invitee assets and sub-account state.

Flags:
)";

constexpr const char* kUsageTail = R"(
Signals: SIGHUP reloads the configuration (as does POST /-/reload with
--web.enable-lifecycle); SIGTERM and SIGINT shut down gracefully.
)";

// Declares every flag onto `o`; usage() declares them onto a default CliOptions.
FlagSet flags(CliOptions& o) {
  FlagSet f;
  f.text("config.file", o.config_file, "FILE", "configuration file (YAML), required");
  f.boolean("config.check", o.config_check, "validate the configuration, print a summary and exit (0 valid, 1 not)");
  f.boolean("api.check", o.api_check,
            "probe CoinW with each account's key (a few paced, read-only requests), print what the "
            "exporter will do and what to change, and exit (0 usable, 1 a collector cannot work)");
  f.value(
      "format", "FORMAT", "output of --api.check: text or json",
      [&o](const std::string& v) {
        if (v != "text" && v != "json") throw std::invalid_argument("must be text or json, got '" + v + "'");
        o.format_json = v == "json";
      },
      "text");
  f.repeated("web.listen-address", o.listen_addresses, "ADDR", "address to serve on");
  f.value(
      "web.telemetry-path", "PATH", "path under which to expose metrics",
      [&o](const std::string& v) {
        if (auto problem = web::telemetry_path_problem(v); !problem.empty()) throw std::invalid_argument(problem);
        o.telemetry_path = v;
      },
      o.telemetry_path);
  f.boolean("web.enable-lifecycle", o.enable_lifecycle,
            "enable POST /-/reload (without it: 403); SIGHUP reloads either way");
  f.integer("web.max-requests", o.max_requests, 0, 1'000'000, "scrapes served at once, more get 503; 0 = no limit");
  f.text("web.config.file", o.web_config_file, "FILE", "TLS and basic-auth settings (exporter-toolkit format)");
  f.value(
      "log.level", "LEVEL", "debug, info, warn or error",
      [&o](const std::string& v) { o.log_level = log::parse_level(v); }, "info");
  f.value(
      "log.format", "FORMAT", "logfmt or json", [&o](const std::string& v) { o.log_format = log::parse_format(v); },
      "logfmt");
  f.action("version", o.version, "print the version and exit");
  return f;
}

}  // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  o.help = !flags(o).parse(args);
  if (o.config_file.empty() && !o.help && !o.version) throw CliError("flag --config.file is required");
  if (o.api_check && o.config_check) throw CliError("flags --api.check and --config.check: one at a time");
  if (o.format_json && !o.api_check) throw CliError("flag --format: only --api.check has a JSON form");
  return o;
}

std::string usage() {
  CliOptions defaults;
  return kUsageHead + flags(defaults).help() + kUsageTail;
}

}  // namespace coinw::exporter
