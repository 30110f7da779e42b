#pragma once
// Scalar syntaxes of the config file, exposed so they can be tested on their own.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace coinw::config {

// Prometheus-style: one or more <integer><unit> in decreasing unit order, each
// unit at most once (y, w, d, h, m, s, ms), e.g. "1h30m"; or a bare "0".
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);
// The shortest form parse_duration reads back, e.g. "1h30m", "0s".
std::string format_duration(std::chrono::milliseconds d);

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Replaces ${NAME} by its value and $$ by $; any other $ stays as it is, so a
// secret containing a lone $ needs no escaping. On failure returns nullopt and
// sets `problem`, which names the variable but never echoes the input.
std::optional<std::string> expand_env(std::string_view in, const EnvLookup& env, std::string& problem);

}  // namespace coinw::config
