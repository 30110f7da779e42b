#pragma once
// bcrypt hashes made at test time. Cost 4 keeps the tests fast; production
// hashes use 10 or more.
#include <crypt.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace coinw::testing {

inline std::string bcrypt(const std::string& password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", 4, nullptr, 0, setting, sizeof setting)) throw std::runtime_error("gensalt");
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(password.c_str(), setting, data.get(), sizeof *data);
  if (!out) throw std::runtime_error("crypt_rn");
  return out;
}

}  // namespace coinw::testing
