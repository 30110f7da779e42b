#include "common/flags.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <optional>
#include <set>

namespace coinw {

int parse_int_flag(const std::string& value, int min, int max) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  const std::string range = max == INT_MAX ? "at least " + std::to_string(min)
                                           : "between " + std::to_string(min) + " and " + std::to_string(max);
  if (value.empty() || end != value.data() + value.size() ||
      (ec != std::errc() && ec != std::errc::result_out_of_range))
    throw std::invalid_argument("must be a whole number " + range + ", got '" + value + "'");
  if (ec != std::errc() || v < min || v > max) throw std::invalid_argument("must be " + range + ", got " + value);
  return static_cast<int>(v);
}

FlagSet& FlagSet::add(Flag f) {
  flags_.push_back(std::move(f));
  return *this;
}

FlagSet& FlagSet::value(std::string name, std::string placeholder, std::string help, Setter set,
                        std::string shown_default) {
  return add({std::move(name), std::move(placeholder), std::move(help), std::move(shown_default), std::move(set), {}});
}

FlagSet& FlagSet::text(std::string name, std::string& slot, std::string placeholder, std::string help) {
  std::string shown = slot;
  return value(
      std::move(name), std::move(placeholder), std::move(help), [&slot](const std::string& v) { slot = v; },
      std::move(shown));
}

FlagSet& FlagSet::integer(std::string name, int& slot, int min, int max, std::string help) {
  return value(
      std::move(name), "N", std::move(help),
      [&slot, min, max](const std::string& v) { slot = parse_int_flag(v, min, max); }, std::to_string(slot));
}

FlagSet& FlagSet::repeated(std::string name, std::vector<std::string>& slot, std::string placeholder,
                           std::string help) {
  std::string shown;
  for (const auto& s : slot) shown += (shown.empty() ? "" : ", ") + s;
  Flag f{std::move(name),
         std::move(placeholder),
         std::move(help),
         std::move(shown),
         [&slot](const std::string& v) { slot.push_back(v); },
         [&slot] { slot.clear(); }};
  return add(std::move(f));
}

FlagSet& FlagSet::boolean(std::string name, bool& slot, std::string help) {
  action(std::move(name), slot, std::move(help));
  flags_.back().negatable = true;
  return *this;
}

FlagSet& FlagSet::action(std::string name, bool& slot, std::string help) {
  return add({std::move(name),
              "",
              std::move(help),
              "",
              [&slot](const std::string& v) {
                if (v == "true")
                  slot = true;
                else if (v == "false")
                  slot = false;
                else
                  throw std::invalid_argument("takes true or false, not '" + v + "'");
              },
              {}});
}

const FlagSet::Flag* FlagSet::find(const std::string& name) const {
  auto it = std::find_if(flags_.begin(), flags_.end(), [&](const Flag& f) { return f.name == name; });
  return it == flags_.end() ? nullptr : &*it;
}

bool FlagSet::parse(const std::vector<std::string>& args) const {
  std::set<std::string> used;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") return false;
    if (!arg.starts_with("--") || arg.size() == 2) throw FlagError("unexpected argument '" + arg + "' (see --help)");
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const Flag* flag = find(name);
    if (!flag && name.starts_with("no-")) {
      // --no-NAME: a boolean switched off; it takes no value.
      flag = find(name.substr(3));
      if (flag && !flag->negatable) flag = nullptr;
      if (flag && value) throw FlagError("flag --" + name + " takes no value");
      if (flag) value = "false";
    }
    if (!flag) throw FlagError("unknown flag --" + name + " (see --help)");
    if (!value && flag->placeholder.empty()) value = "true";
    if (!value) {
      if (i + 1 >= args.size()) throw FlagError("flag --" + name + " needs a value");
      value = args[++i];
    }
    try {
      if (flag->clear && used.insert(flag->name).second) flag->clear();
      flag->set(*value);
    } catch (const std::invalid_argument& e) {
      throw FlagError("flag --" + flag->name + ": " + e.what());
    }
  }
  return true;
}

std::string FlagSet::help() const {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& f : flags_) {
    std::string left = f.negatable             ? "--[no-]" + f.name
                       : f.placeholder.empty() ? "--" + f.name
                                               : "--" + f.name + "=" + f.placeholder;
    std::string right = f.help;
    if (f.clear) right += "; repeatable";
    if (!f.shown_default.empty()) right += " (default \"" + f.shown_default + "\")";
    rows.emplace_back(std::move(left), std::move(right));
  }
  rows.emplace_back("-h, --help", "print this help and exit");
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::string out;
  for (const auto& [left, right] : rows) out += "  " + left + std::string(width - left.size() + 2, ' ') + right + "\n";
  return out;
}

}  // namespace coinw
