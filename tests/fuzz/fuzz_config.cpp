// The configuration parser must turn any text into a Config or a ConfigError:
// any other exception, crash or sanitizer report is a finding.
//
// *_file and ca_file keys read files. The input is parsed as if it lived in a
// scratch directory holding one file of each kind the loader distinguishes
// (good secret, loose permissions, empty, oversized, a directory), so the
// dictionary's relative names reach every branch without touching anything
// outside it. Absolute paths still reach the real file system, read-only and
// bounded to 64 KiB.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "collect/client_settings.h"
#include "config/config.h"

namespace {

namespace fs = std::filesystem;

fs::path g_sandbox;
std::string g_source_name;

void write(const fs::path& p, const std::string& content, fs::perms perms) {
  std::ofstream(p, std::ios::binary) << content;
  fs::permissions(p, perms);
}

void remove_sandbox() {
  std::error_code ec;
  fs::remove_all(g_sandbox, ec);
}

std::optional<std::string> fuzz_env(const std::string& name) {
  if (name == "COINW_API_KEY") return "env-api-key";
  if (name == "COINW_SECRET_KEY") return "env-secret-key";
  if (name == "EMPTY") return "";
  // Expansion must not recurse into values.
  if (name == "DOLLARS") return "$$ ${COINW_API_KEY} $";
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string templ = (fs::temp_directory_path() / "coinw-fuzz-config-XXXXXX").string();
  if (!::mkdtemp(templ.data())) std::abort();
  g_sandbox = templ;
  const auto owner = fs::perms::owner_read | fs::perms::owner_write;
  write(g_sandbox / "api_key", "file-api-key\n", owner);
  write(g_sandbox / "secret_key", "file-secret-key\n", owner);
  write(g_sandbox / "loose_key", "loose-key\n", owner | fs::perms::group_read | fs::perms::others_read);
  write(g_sandbox / "empty_key", " \n", owner);
  write(g_sandbox / "big_key", std::string(65 * 1024, 'k'), owner);
  write(g_sandbox / "ca.pem", "-----BEGIN CERTIFICATE-----\n", owner | fs::perms::others_read);
  fs::create_directory(g_sandbox / "dir");
  g_source_name = (g_sandbox / "fuzz.yml").string();
  std::atexit(remove_sandbox);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  try {
    auto loaded = coinw::config::parse_config(yaml, g_source_name, fuzz_env);
    const auto& c = loaded.config;
    (void)coinw::config::describe(c);
    for (const auto& a : c.accounts) (void)coinw::collect::derive_client_settings(c.global, a);
  } catch (const coinw::config::ConfigError&) {}
  return 0;
}
