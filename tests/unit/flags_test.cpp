#include "common/flags.h"

#include <gtest/gtest.h>

#include "sim/cli.h"

namespace coinw {
namespace {

struct Target {
  std::string file = "default.yml";
  int n = 3;
  bool on = false, lifecycle = true, version = false;
  std::vector<std::string> addresses{":1"};
};

FlagSet flags(Target& t) {
  FlagSet f;
  f.text("config.file", t.file, "FILE", "a file");
  f.integer("n", t.n, 0, 10, "a number");
  f.boolean("on", t.on, "a switch");
  f.boolean("web.enable-lifecycle", t.lifecycle, "another");
  f.repeated("addr", t.addresses, "ADDR", "addresses");
  f.action("version", t.version, "print it");
  return f;
}

std::string error(std::vector<std::string> args) {
  Target t;
  try {
    flags(t).parse(args);
  } catch (const FlagError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Flags, EqualsAndSpaceForms) {
  Target t;
  EXPECT_TRUE(flags(t).parse({"--config.file=a.yml", "--n", "7"}));
  EXPECT_EQ(t.file, "a.yml");
  EXPECT_EQ(t.n, 7);
  EXPECT_TRUE(flags(t).parse({"--config.file", "--n=8"})) << "a value may look like a flag";
  EXPECT_EQ(t.file, "--n=8");
  EXPECT_TRUE(flags(t).parse({"--config.file="}));
  EXPECT_EQ(t.file, "");
}

TEST(Flags, BooleanForms) {
  Target t;
  flags(t).parse({"--on", "--no-web.enable-lifecycle"});
  EXPECT_TRUE(t.on);
  EXPECT_FALSE(t.lifecycle);
  flags(t).parse({"--on=false", "--web.enable-lifecycle=true"});
  EXPECT_FALSE(t.on);
  EXPECT_TRUE(t.lifecycle);
  flags(t).parse({"--on", "--no-on"});
  EXPECT_FALSE(t.on) << "the last one wins";
  flags(t).parse({"--version"});
  EXPECT_TRUE(t.version);
}

TEST(Flags, RepeatedReplacesTheDefaultThenAppends) {
  Target t;
  flags(t).parse({});
  EXPECT_EQ(t.addresses, std::vector<std::string>{":1"});
  flags(t).parse({"--addr=a:1", "--addr", "b:2"});
  EXPECT_EQ(t.addresses, (std::vector<std::string>{"a:1", "b:2"}));
}

TEST(Flags, HelpStopsParsing) {
  Target t;
  EXPECT_FALSE(flags(t).parse({"--n=1", "-h", "--bogus"}));
  EXPECT_EQ(t.n, 1);
  EXPECT_FALSE(flags(t).parse({"--help"}));
}

TEST(Flags, ErrorsNameTheFlagAndTheReason) {
  EXPECT_EQ(error({"--bogus"}), "unknown flag --bogus (see --help)");
  EXPECT_EQ(error({"--no-config.file"}), "unknown flag --no-config.file (see --help)");
  EXPECT_EQ(error({"--no-version"}), "unknown flag --no-version (see --help)");
  EXPECT_EQ(error({"--no-on=true"}), "flag --no-on takes no value");
  EXPECT_EQ(error({"--config.file"}), "flag --config.file needs a value");
  EXPECT_EQ(error({"stray"}), "unexpected argument 'stray' (see --help)");
  EXPECT_EQ(error({"--"}), "unexpected argument '--' (see --help)");
  EXPECT_EQ(error({"--on=yes"}), "flag --on: takes true or false, not 'yes'");
  EXPECT_EQ(error({"--n=x"}), "flag --n: must be a whole number between 0 and 10, got 'x'");
  EXPECT_EQ(error({"--n=11"}), "flag --n: must be between 0 and 10, got 11");
  EXPECT_EQ(error({"--n=99999999999999999999"}), "flag --n: must be between 0 and 10, got 99999999999999999999");
  EXPECT_EQ(error({"--n", "3x"}), "flag --n: must be a whole number between 0 and 10, got '3x'");
}

TEST(Flags, HelpListsEveryFlagWithDefaults) {
  Target t;
  const auto help = flags(t).help();
  EXPECT_NE(help.find("--config.file=FILE"), std::string::npos) << help;
  EXPECT_NE(help.find("(default \"default.yml\")"), std::string::npos) << help;
  EXPECT_NE(help.find("--[no-]web.enable-lifecycle"), std::string::npos) << help;
  EXPECT_NE(help.find("--n=N"), std::string::npos) << help;
  EXPECT_NE(help.find("repeatable (default \":1\")"), std::string::npos) << help;
  EXPECT_NE(help.find("-h, --help"), std::string::npos) << help;
  EXPECT_NE(help.find("  --version  "), std::string::npos) << help;
}

TEST(SimCli, DefaultsAndEveryKindOfFlag) {
  auto c = sim::parse_cli({});
  EXPECT_EQ(c.options.host, "127.0.0.1");
  EXPECT_EQ(c.options.port, 8790);
  EXPECT_FALSE(c.help);
  c = sim::parse_cli({"--listen=0.0.0.0:0", "--seed", "18446744073709551615", "--invitees=7", "--quirks",
                      "--fault-rate=0.25", "--fault-kinds=html,,slow", "--secret-key-file=/nonexistent"});
  EXPECT_EQ(c.options.host, "0.0.0.0");
  EXPECT_EQ(c.options.port, 0);
  EXPECT_EQ(c.options.seed, 18446744073709551615ULL);
  EXPECT_EQ(c.options.invitees, 7);
  EXPECT_TRUE(c.options.quirks);
  EXPECT_EQ(c.options.faults.rate, 0.25);
  EXPECT_EQ(c.options.faults.kinds, (std::vector<std::string>{"html", "slow"}));
  EXPECT_EQ(c.secret_key_file, "/nonexistent") << "the parser does not read the file";
  EXPECT_EQ(c.options.sign_form, api::QueryForm::raw);
  EXPECT_EQ(c.options.now, 0);
  c = sim::parse_cli({"--sign-form=encoded", "--now", "1764547200"});
  EXPECT_EQ(c.options.sign_form, api::QueryForm::encoded);
  EXPECT_EQ(c.options.now, 1764547200);
  EXPECT_TRUE(sim::parse_cli({"--help"}).help);
}

TEST(SimCli, BadValuesAreFlagErrors) {
  for (const auto& [arg, message] : std::vector<std::pair<std::string, std::string>>{
           {"--listen=8790", "flag --listen: expected HOST:PORT, got '8790'"},
           {"--listen=h:70000", "flag --listen: must be between 0 and 65535, got 70000"},
           {"--seed=-1", "flag --seed: must be an unsigned 64-bit integer, got '-1'"},
           {"--fault-rate=2", "flag --fault-rate: must be a number from 0 to 1, got '2'"},
           {"--invitees=-3", "flag --invitees: must be at least 0, got -3"},
           {"--sign-form=sorted", "flag --sign-form: must be raw or encoded, got 'sorted'"},
           {"--now=-5", "flag --now: must be unix seconds (0: the real time), got '-5'"},
       }) {
    try {
      sim::parse_cli({arg});
      ADD_FAILURE() << arg << " was accepted";
    } catch (const FlagError& e) {
      EXPECT_EQ(e.what(), message);
    }
  }
}

TEST(SimCli, UsageListsEveryFlag) {
  const auto help = sim::usage();
  for (const char* flag : {"--listen=HOST:PORT", "--secret-key-file=FILE", "--[no-]quirks", "--fault-kinds=K,K",
                           "(default \"127.0.0.1:8790\")", "--help"})
    EXPECT_NE(help.find(flag), std::string::npos) << flag << "\n" << help;
}

}  // namespace
}  // namespace coinw
