#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "support/bcrypt.h"
#include "web/auth.h"

namespace coinw::web {
namespace {

using testing::bcrypt;

std::string basic(const std::string& user_pass) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < user_pass.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(user_pass[i]) << 16;
    if (i + 1 < user_pass.size()) v |= static_cast<unsigned char>(user_pass[i + 1]) << 8;
    if (i + 2 < user_pass.size()) v |= static_cast<unsigned char>(user_pass[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < user_pass.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < user_pass.size() ? kAlphabet[v & 63] : '=';
  }
  return "Basic " + out;
}

TEST(WebVerifyPassword, RightAndWrong) {
  const auto hash = bcrypt("s3cret");
  ASSERT_EQ(hash.substr(0, 7), "$2b$04$");
  EXPECT_TRUE(verify_password("s3cret", hash));
  EXPECT_FALSE(verify_password("s3cret ", hash));
  EXPECT_FALSE(verify_password("", hash));
  EXPECT_FALSE(verify_password(std::string("s3cret\0x", 8), hash));
  EXPECT_FALSE(verify_password("s3cret", "not a hash"));
}

TEST(WebVerifyPassword, AcceptsOther2Prefixes) {
  auto hash = bcrypt("pw");
  hash[2] = 'y';
  EXPECT_TRUE(verify_password("pw", hash));
}

TEST(WebBasicAuth, ChecksHeaderAndCachesOnlySuccess) {
  BasicAuth auth({{"alice", bcrypt("wonderland")}});
  auto before = password_hash_count();
  EXPECT_TRUE(auth.check(basic("alice:wonderland")));
  EXPECT_EQ(password_hash_count(), before + 1);
  EXPECT_TRUE(auth.check(basic("alice:wonderland")));
  EXPECT_EQ(password_hash_count(), before + 1) << "second check must come from the cache";

  before = password_hash_count();
  EXPECT_FALSE(auth.check(basic("alice:wrong")));
  EXPECT_FALSE(auth.check(basic("alice:wrong")));
  EXPECT_EQ(password_hash_count(), before + 2) << "failures are never cached";
}

TEST(WebBasicAuth, UnknownUserStillPaysForBcrypt) {
  BasicAuth auth({{"alice", bcrypt("wonderland")}});
  const auto before = password_hash_count();
  EXPECT_FALSE(auth.check(basic("mallory:wonderland")));
  EXPECT_EQ(password_hash_count(), before + 1);
}

TEST(WebBasicAuth, MalformedHeaders) {
  BasicAuth auth({{"alice", bcrypt("pw")}});
  EXPECT_TRUE(auth.check("basic " + basic("alice:pw").substr(6))) << "the scheme is case-insensitive";
  for (const std::string& bad : {std::string(), std::string("Basic"), std::string("Bearer abc"),
                                 std::string("Basic !!!"), basic("alicepw"), basic("alice:pw:x"), basic(":pw")})
    EXPECT_FALSE(auth.check(bad)) << bad;
}

}  // namespace
}  // namespace coinw::web
