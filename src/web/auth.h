#pragma once
// HTTP basic auth against bcrypt hashes, as in exporter-toolkit's basic_auth_users.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace coinw::web {

// bcrypt via libcrypt; the final comparison is constant-time.
bool verify_password(const std::string& password, const std::string& bcrypt_hash);

// bcrypt computations so far in this process; lets tests see that the cache works.
std::uint64_t password_hash_count();

class BasicAuth {
 public:
  // users: name -> hash, each accepted by looks_like_bcrypt (the loader checks).
  explicit BasicAuth(std::map<std::string, std::string> users);

  // `authorization` is the Authorization header's value. Thread-safe.
  bool check(std::string_view authorization);

 private:
  std::map<std::string, std::string> users_;
  // Checked for unknown users so that their replies take as long as known ones.
  std::string dummy_hash_;
  std::mutex mutex_;
  // SHA-256 of (user, password, hash) for credentials that verified: bcrypt is
  // deliberately slow and Prometheus sends the same credentials every scrape.
  std::unordered_set<std::string> verified_;
};

}  // namespace coinw::web
