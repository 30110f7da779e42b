#include "web/auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <atomic>
#include <cctype>
#include <memory>
#include <optional>
#include <stdexcept>

namespace coinw::web {
namespace {

std::atomic<std::uint64_t> g_hash_count{0};

// Bounds memory if someone cycles through many valid passwords.
constexpr std::size_t kMaxCached = 1024;

std::optional<std::string> base64_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  unsigned bits = 0;
  int nbits = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> nbits) & 0xff));
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string cache_key(std::string_view user, std::string_view password, std::string_view hash) {
  std::string input;
  // Length prefixes keep ("ab","c") and ("a","bc") apart.
  for (auto part : {user, password, hash}) {
    input += std::to_string(part.size());
    input += ':';
    input += part;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  OPENSSL_cleanse(input.data(), input.size());
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string make_dummy_hash(const std::map<std::string, std::string>& users) {
  if (users.empty()) return {};
  // Same cost as a real hash, so an unknown user costs as much time as a known one.
  const auto& real = users.begin()->second;
  const unsigned long cost = std::stoul(real.substr(4, 2));
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", cost, nullptr, 0, setting, sizeof setting))
    throw std::runtime_error("crypt_gensalt_rn failed");
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn("", setting, data.get(), sizeof *data);
  if (!hash) throw std::runtime_error("crypt_rn failed");
  return hash;
}

}  // namespace

bool verify_password(const std::string& password, const std::string& bcrypt_hash) {
  // crypt() stops at the first NUL, which would let "pw\0anything" match "pw".
  if (password.find('\0') != std::string::npos) return false;
  ++g_hash_count;
  // crypt_data is ~32 KiB: keep it off the server threads' stacks.
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(password.c_str(), bcrypt_hash.c_str(), data.get(), sizeof *data);
  const bool ok = out && std::string_view(out).size() == bcrypt_hash.size() &&
                  CRYPTO_memcmp(out, bcrypt_hash.data(), bcrypt_hash.size()) == 0;
  OPENSSL_cleanse(data.get(), sizeof *data);
  return ok;
}

std::uint64_t password_hash_count() { return g_hash_count.load(); }

BasicAuth::BasicAuth(std::map<std::string, std::string> users)
    : users_(std::move(users)), dummy_hash_(make_dummy_hash(users_)) {}

bool BasicAuth::check(std::string_view authorization) {
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "Basic")) return false;
  auto decoded = base64_decode(authorization.substr(space + 1));
  if (!decoded) return false;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  const std::string user = decoded->substr(0, colon);
  const std::string password = decoded->substr(colon + 1);
  OPENSSL_cleanse(decoded->data(), decoded->size());

  const auto it = users_.find(user);
  if (it == users_.end()) {
    verify_password(password, dummy_hash_);
    return false;
  }
  const auto key = cache_key(user, password, it->second);
  {
    std::lock_guard lock(mutex_);
    if (verified_.contains(key)) return true;
  }
  if (!verify_password(password, it->second)) return false;
  std::lock_guard lock(mutex_);
  if (verified_.size() >= kMaxCached) verified_.clear();
  verified_.insert(key);
  return true;
}

}  // namespace coinw::web
