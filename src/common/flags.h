#pragma once
// Command-line flags as Prometheus binaries take them: --name=value and
// --name value; booleans also as --name, --no-name and --name=true|false.
// One parser for both binaries; pure, so every flag and error is tested
// without a process. Parsing never exits and never touches files.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace coinw {

// what() names the flag and the reason, e.g. "flag --seed: must be a whole number, got 'x'".
struct FlagError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class FlagSet {
 public:
  // Gets the value's text; throws std::invalid_argument with the reason it is unusable.
  using Setter = std::function<void(const std::string& value)>;

  // `placeholder` names the value in help ("FILE"); `shown_default` is printed
  // as the default when not empty.
  FlagSet& value(std::string name, std::string placeholder, std::string help, Setter set,
                 std::string shown_default = "");
  FlagSet& text(std::string name, std::string& slot, std::string placeholder, std::string help);
  FlagSet& integer(std::string name, int& slot, int min, int max, std::string help);
  // May be given several times; the first use replaces the default values.
  FlagSet& repeated(std::string name, std::vector<std::string>& slot, std::string placeholder, std::string help);
  FlagSet& boolean(std::string name, bool& slot, std::string help);
  // A boolean that only makes sense switched on (--version): no --no- form.
  FlagSet& action(std::string name, bool& slot, std::string help);

  // False when -h or --help was given; then the other flags were not applied
  // past it. Throws FlagError on the first bad flag.
  bool parse(const std::vector<std::string>& args) const;
  // One line per flag, in the order they were declared, then -h, --help.
  std::string help() const;

 private:
  struct Flag {
    std::string name;         // without the leading "--"
    std::string placeholder;  // "" for a boolean
    std::string help;
    std::string shown_default;
    Setter set;
    std::function<void()> clear;  // repeatable flags: drops the defaults on first use
    bool negatable = false;       // booleans: --no-NAME
  };
  const Flag* find(const std::string& name) const;
  FlagSet& add(Flag f);

  std::vector<Flag> flags_;
};

// "a whole number between min and max": the value of an integer flag, or
// std::invalid_argument saying what was expected.
int parse_int_flag(const std::string& value, int min, int max);

}  // namespace coinw
