#pragma once
// Validation of an account's base_url. Internal to config.
#include <optional>
#include <string>
#include <string_view>

namespace coinw::config::detail {

struct BaseUrl {
  std::string normalized;  // scheme://host[:port]
  bool plain_http_off_host = false;
};

// scheme://host[:port] with an optional trailing "/"; the API paths are the client's.
// On failure returns nullopt and sets `problem`.
std::optional<BaseUrl> check_base_url(std::string_view s, std::string& problem);

}  // namespace coinw::config::detail
