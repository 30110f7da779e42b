#include "exporter/cli.h"

#include <gtest/gtest.h>

namespace coinw::exporter {
namespace {

TEST(Cli, DefaultsAndBothFlagForms) {
  auto o = parse_cli({"--config.file=c.yml"});
  EXPECT_EQ(o.config_file, "c.yml");
  EXPECT_EQ(o.listen_address, ":9866");
  EXPECT_FALSE(o.config_check);
  EXPECT_EQ(o.log_level, log::Level::info);
  EXPECT_EQ(o.log_format, log::Format::logfmt);

  o = parse_cli({"--config.file", "c.yml", "--web.listen-address", "127.0.0.1:1", "--log.level=debug",
                 "--log.format", "json", "--config.check", "--web.config.file=w.yml"});
  EXPECT_EQ(o.listen_address, "127.0.0.1:1");
  EXPECT_EQ(o.log_level, log::Level::debug);
  EXPECT_EQ(o.log_format, log::Format::json);
  EXPECT_TRUE(o.config_check);
  EXPECT_EQ(o.web_config_file, "w.yml");
}

TEST(Cli, HelpAndVersionNeedNoConfig) {
  EXPECT_TRUE(parse_cli({"--help"}).help);
  EXPECT_TRUE(parse_cli({"-h"}).help);
  EXPECT_TRUE(parse_cli({"--version"}).version);
}

TEST(Cli, ErrorsNameTheFlag) {
  auto error = [](std::vector<std::string> args) {
    try {
      parse_cli(args);
    } catch (const CliError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error({}), "flag --config.file is required");
  EXPECT_EQ(error({"--config.file"}), "flag --config.file needs a value");
  EXPECT_EQ(error({"--config.file=c", "--bogus"}), "unknown flag --bogus (see --help)");
  EXPECT_EQ(error({"--config.file=c", "--log.level=loud"}),
            "flag --log.level: log level must be one of debug, info, warn, error");
  EXPECT_EQ(error({"--config.file=c", "--log.format=xml"}), "flag --log.format: log format must be logfmt or json");
  EXPECT_EQ(error({"--config.file=c", "--config.check=maybe"}), "flag --config.check takes true or false, not 'maybe'");
}

TEST(Cli, UsageListsEveryFlag) {
  for (const char* flag : {"--config.file", "--config.check", "--web.listen-address", "--web.config.file",
                           "--log.level", "--log.format", "--version", "--help"})
    EXPECT_NE(usage().find(flag), std::string::npos) << flag;
}

}  // namespace
}  // namespace coinw::exporter
