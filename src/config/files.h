#pragma once
// File-system side of the config: secret files and CA files. Internal to config.
#include <cstddef>
#include <optional>
#include <string>

namespace coinw::config::detail {

// Relative paths are taken from the config file's directory, as Prometheus does.
std::string resolve_path(const std::string& path, const std::string& config_path);

// A whole regular file of at most `max_bytes`; nullopt and `problem` (naming
// the path, never the content) on failure. `mode` receives the permission bits.
std::optional<std::string> read_file(const std::string& path, size_t max_bytes, std::string& problem,
                                     unsigned* mode = nullptr);

struct SecretFile {
  std::optional<std::string> value;  // trailing whitespace trimmed; nullopt on failure
  std::string problem;               // why value is missing; never contains file content
  unsigned loose_mode = 0;           // the permission bits, when group or others have any
};
SecretFile read_secret_file(const std::string& path);

// Empty when `path` is a readable regular file, else why not.
std::string check_readable_file(const std::string& path);

}  // namespace coinw::config::detail
