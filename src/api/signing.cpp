#include "api/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace coinw::api {

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string hmac_sha256_base64(std::string_view secret, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len))
    throw std::runtime_error("HMAC-SHA256 failed");
  return base64(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

std::string md5_upper_hex(std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(message.data(), message.size(), digest, &len, EVP_md5(), nullptr))
    throw std::runtime_error("MD5 failed");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::string futures_prehash_of(int64_t timestamp_ms, std::string_view method, std::string_view path,
                               std::string_view query, std::string_view body) {
  std::string s = std::to_string(timestamp_ms);
  s += method;
  s += path;
  if (!query.empty()) {
    s += '?';
    s += query;
  }
  s += body;
  return s;
}

std::string futures_prehash(int64_t timestamp_ms, std::string_view method, std::string_view path,
                            const QueryParams& query, std::string_view body, QueryForm form) {
  return futures_prehash_of(timestamp_ms, method, path, join(query, form), body);
}

std::string futures_sign(std::string_view secret, int64_t timestamp_ms, std::string_view method, std::string_view path,
                         const QueryParams& query, std::string_view body, QueryForm form) {
  return hmac_sha256_base64(secret, futures_prehash(timestamp_ms, method, path, query, body, form));
}

std::string spot_string_to_sign(const QueryParams& params, std::string_view api_key, std::string_view secret) {
  QueryParams p;
  for (const auto& kv : params)
    if (kv.first != "command" && kv.first != "sign" && kv.first != "api_key") p.push_back(kv);
  p.emplace_back("api_key", std::string(api_key));
  std::stable_sort(p.begin(), p.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string s = join_raw(p);
  s += "&secret_key=";
  s += secret;
  return s;
}

std::string spot_sign(const QueryParams& params, std::string_view api_key, std::string_view secret) {
  return md5_upper_hex(spot_string_to_sign(params, api_key, secret));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace coinw::api
