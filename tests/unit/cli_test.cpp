#include "exporter/cli.h"

#include <gtest/gtest.h>

namespace coinw::exporter {
namespace {

// The message of the CliError that `args` raise.
std::string error(const std::vector<std::string>& args) {
  try {
    parse_cli(args);
  } catch (const CliError& e) {
    return std::string(e.what());
  }
  return std::string("no error");
}

TEST(Cli, DefaultsAndBothFlagForms) {
  auto o = parse_cli({"--config.file=c.yml"});
  EXPECT_EQ(o.config_file, "c.yml");
  EXPECT_EQ(o.listen_addresses, std::vector<std::string>{":9866"});
  EXPECT_EQ(o.telemetry_path, "/metrics");
  EXPECT_FALSE(o.enable_lifecycle);
  EXPECT_EQ(o.max_requests, 0);
  EXPECT_FALSE(o.config_check);
  EXPECT_EQ(o.log_level, log::Level::info);
  EXPECT_EQ(o.log_format, log::Format::logfmt);

  o = parse_cli({"--config.file", "c.yml", "--web.listen-address", "127.0.0.1:1", "--log.level=debug", "--log.format",
                 "json", "--config.check", "--web.config.file=w.yml"});
  EXPECT_EQ(o.listen_addresses, std::vector<std::string>{"127.0.0.1:1"});
  EXPECT_EQ(o.log_level, log::Level::debug);
  EXPECT_EQ(o.log_format, log::Format::json);
  EXPECT_TRUE(o.config_check);
  EXPECT_EQ(o.web_config_file, "w.yml");
}

TEST(Cli, WebFlagsAsPrometheusNamesThem) {
  auto o = parse_cli({"--config.file=c.yml", "--web.listen-address=127.0.0.1:1", "--web.listen-address", "[::1]:2",
                      "--web.telemetry-path=/x/metrics.txt", "--web.enable-lifecycle", "--web.max-requests=40"});
  EXPECT_EQ(o.listen_addresses, (std::vector<std::string>{"127.0.0.1:1", "[::1]:2"}));
  EXPECT_EQ(o.telemetry_path, "/x/metrics.txt");
  EXPECT_TRUE(o.enable_lifecycle);
  EXPECT_EQ(o.max_requests, 40);
  EXPECT_FALSE(
      parse_cli({"--config.file=c.yml", "--web.enable-lifecycle", "--no-web.enable-lifecycle"}).enable_lifecycle);
}

TEST(Cli, HelpAndVersionNeedNoConfig) {
  EXPECT_TRUE(parse_cli({"--help"}).help);
  EXPECT_TRUE(parse_cli({"-h"}).help);
  EXPECT_TRUE(parse_cli({"--version"}).version);
}

TEST(Cli, ErrorsNameTheFlag) {
  EXPECT_EQ(error({}), "flag --config.file is required");
  EXPECT_EQ(error({"--config.file"}), "flag --config.file needs a value");
  EXPECT_EQ(error({"--config.file=c", "--bogus"}), "unknown flag --bogus (see --help)");
  EXPECT_EQ(error({"--config.file=c", "--log.level=loud"}),
            "flag --log.level: log level must be one of debug, info, warn, error");
  EXPECT_EQ(error({"--config.file=c", "--log.format=xml"}), "flag --log.format: log format must be logfmt or json");
  EXPECT_EQ(error({"--config.file=c", "--config.check=maybe"}),
            "flag --config.check: takes true or false, not 'maybe'");
  EXPECT_EQ(error({"--config.file=c", "--web.telemetry-path=metrics"}),
            "flag --web.telemetry-path: must be an absolute path other than /, like /metrics");
  EXPECT_EQ(error({"--config.file=c", "--web.telemetry-path=/-/ready"}),
            "flag --web.telemetry-path: /-/ready is another endpoint");
  EXPECT_EQ(error({"--config.file=c", "--web.telemetry-path=/m(.*)"}),
            "flag --web.telemetry-path: may only contain letters, digits and / . _ -");
  EXPECT_EQ(error({"--config.file=c", "--web.max-requests=-1"}),
            "flag --web.max-requests: must be between 0 and 1000000, got -1");
}

TEST(Cli, ApiCheckAndItsFormat) {
  auto o = parse_cli({"--config.file=c.yml", "--api.check"});
  EXPECT_TRUE(o.api_check);
  EXPECT_FALSE(o.format_json);
  EXPECT_TRUE(parse_cli({"--config.file=c.yml", "--api.check", "--format=json"}).format_json);
  EXPECT_FALSE(parse_cli({"--config.file=c.yml", "--api.check", "--format", "text"}).format_json);
  EXPECT_EQ(error({"--config.file=c", "--api.check", "--format=xml"}),
            "flag --format: must be text or json, got 'xml'");
  EXPECT_EQ(error({"--config.file=c", "--format=json"}), "flag --format: only --api.check has a JSON form");
  EXPECT_EQ(error({"--config.file=c", "--api.check", "--config.check"}),
            "flags --api.check and --config.check: one at a time");
}

TEST(Cli, UsageListsEveryFlag) {
  for (const char* flag :
       {"--config.file", "--[no-]config.check", "--[no-]api.check", "--format", "--web.listen-address",
        "--web.config.file", "--web.telemetry-path", "--[no-]web.enable-lifecycle", "--web.max-requests", "--log.level",
        "--log.format", "--version", "--help"})
    EXPECT_NE(usage().find(flag), std::string::npos) << flag;
}

}  // namespace
}  // namespace coinw::exporter
