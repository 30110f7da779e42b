#include "api/signing.h"

#include <gtest/gtest.h>

namespace coinw::api {
namespace {

// Vectors from CoinW's examples (docs/coinw-api.md §1, §2).
TEST(FuturesSigning, PagedQueryVector) {
  QueryParams q{{"pageNo", "1"}, {"pageSize", "100"}, {"quote", "usdt"}};
  const char* path = "/api/v3/patener/openapi/v1/partner/invitation/user/assets";
  EXPECT_EQ(futures_prehash(1700000000000, "GET", path, q, ""),
            "1700000000000GET/api/v3/patener/openapi/v1/partner/invitation/user/assets"
            "?pageNo=1&pageSize=100&quote=usdt");
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", path, q, ""),
            "H8bYfyKbw3DM1m4MS9ybPgsmR+vtx6rbRuexmElMiEo=");
}

TEST(FuturesSigning, NoQueryHasNoQuestionMark) {
  const char* path = "/api/v3/patener/openapi/v1/partner/invitation/user/assets";
  EXPECT_EQ(futures_prehash(1700000000000, "GET", path, {}, ""),
            "1700000000000GET/api/v3/patener/openapi/v1/partner/invitation/user/assets");
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", path, {}, ""),
            "pyLY9knZWdHh2vLrOLEFI0IusL+/KQ05PGanRC0fCXQ=");
}

// docs/coinw-api.md's vectors for a window and for one uid: the parameters in
// byte order of their names, the raw values signed, the URL percent-encoded.
constexpr const char* kAssets = "/api/v3/patener/openapi/v1/partner/invitation/user/assets";
const QueryParams kWindow{{"endTime", "2026-11-30 23:59:59"},
                          {"pageNo", "1"},
                          {"pageSize", "100"},
                          {"quote", "usdt"},
                          {"startTime", "2026-11-01 00:00:00"}};

TEST(FuturesSigning, WindowVectorSignsRawValues) {
  EXPECT_EQ(futures_prehash(1700000000000, "GET", kAssets, kWindow, ""),
            "1700000000000GET/api/v3/patener/openapi/v1/partner/invitation/user/assets"
            "?endTime=2026-11-30 23:59:59&pageNo=1&pageSize=100&quote=usdt&startTime=2026-11-01 00:00:00");
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", kAssets, kWindow, ""),
            "ZFggc/UNabUOznEzEItl9JsfzESofHzca7gZCmmFTco=");
  EXPECT_EQ(join_encoded(kWindow),
            "endTime=2026-11-30%2023%3A59%3A59&pageNo=1&pageSize=100&quote=usdt&startTime=2026-11-01%2000%3A00%3A00");
}

TEST(FuturesSigning, WindowVectorInTheEncodedFallbackForm) {
  const std::string prehash =
      "1700000000000GET/api/v3/patener/openapi/v1/partner/invitation/user/assets"
      "?endTime=2026-11-30%2023%3A59%3A59&pageNo=1&pageSize=100&quote=usdt&startTime=2026-11-01%2000%3A00%3A00";
  EXPECT_EQ(futures_prehash(1700000000000, "GET", kAssets, kWindow, "", QueryForm::encoded), prehash);
  EXPECT_EQ(futures_prehash_of(1700000000000, "GET", kAssets, join_encoded(kWindow), ""), prehash);
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", kAssets, kWindow, "", QueryForm::encoded),
            "2sjjbvz2QVBpVby+0/+W0vc2nM16fvL6MBTLYGQgO38=");
}

TEST(FuturesSigning, UidVector) {
  QueryParams q{{"pageNo", "1"}, {"pageSize", "1"}, {"quote", "usdt"}, {"uid", "12345678"}};
  EXPECT_EQ(futures_prehash(1700000000000, "GET", kAssets, q, ""),
            "1700000000000GET/api/v3/patener/openapi/v1/partner/invitation/user/assets"
            "?pageNo=1&pageSize=1&quote=usdt&uid=12345678");
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", kAssets, q, ""),
            "sZbiPA9tYz1p8rYimjkNQ2liPnzOdwxD9LaQxIhtOsA=");
  // Nothing to encode: both readings sign the same bytes.
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", kAssets, q, "", QueryForm::encoded),
            "sZbiPA9tYz1p8rYimjkNQ2liPnzOdwxD9LaQxIhtOsA=");
}

TEST(FuturesSigning, QueryIsSignedInSendOrderWithRawValues) {
  QueryParams q{{"quote", "usdt"}, {"startTime", "2024-01-01 00:00:00"}};
  EXPECT_EQ(futures_prehash(1, "GET", "/p", q, ""), "1GET/p?quote=usdt&startTime=2024-01-01 00:00:00");
}

// The funnel endpoints (docs/coinw-api.md §6). The volume endpoint is a POST
// whose JSON body is appended to the signed string exactly as sent, `{}` too.
constexpr const char* kVolume = "/api/v3/patener/openapi/v1/partner/invitation/user/volume/list";

TEST(FuturesSigning, VolumeBodyVector) {
  const std::string body = R"({"endTime":"2026-11-30","pageNo":1,"pageSize":1000,"startTime":"2026-11-01"})";
  EXPECT_EQ(futures_prehash(1700000000000, "POST", kVolume, {}, body),
            "1700000000000POST/api/v3/patener/openapi/v1/partner/invitation/user/volume/list"
            R"({"endTime":"2026-11-30","pageNo":1,"pageSize":1000,"startTime":"2026-11-01"})");
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "POST", kVolume, {}, body),
            "7Ep0CdX/BXZApWirFtTy8REunUx42xd5YrqY1PYZBM4=");
}

TEST(FuturesSigning, EmptyVolumeBodyIsSignedAsBraces) {
  EXPECT_EQ(futures_prehash(1700000000000, "POST", kVolume, {}, "{}"),
            "1700000000000POST/api/v3/patener/openapi/v1/partner/invitation/user/volume/list{}");
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "POST", kVolume, {}, "{}"),
            "+p86iC+kzTKQYEhnz0nGqWpW3dOvjo2/63LNiU+UsKM=");
}

TEST(FuturesSigning, RegistrationListVector) {
  const QueryParams q{
      {"endTime", "2026-12-04 00:00:00"}, {"pageNo", "1"}, {"pageSize", "1000"}, {"startTime", "2020-01-01 00:00:00"}};
  EXPECT_EQ(futures_sign("testsecret", 1700000000000, "GET", "/api/v3/patener/openapi/v1/partner/invitation/user/list",
                         q, ""),
            "JeZ31AAWBWClZvD3iWjyak5kVCWuBV1qRPIeE/ouYm0=");
}

TEST(SpotSigning, ApiKeyOnlyVector) {
  EXPECT_EQ(spot_string_to_sign({}, "testkey", "testsecret"), "api_key=testkey&secret_key=testsecret");
  EXPECT_EQ(spot_sign({}, "testkey", "testsecret"), "26C011E5BFD2CF39F1CFE64CC3FC8293");
}

TEST(SpotSigning, SortsParamsAndDropsCommandAndSign) {
  QueryParams p{{"symbol", "LTCBTC"}, {"command", "x"}, {"sign", "y"}};
  EXPECT_EQ(spot_string_to_sign(p, "XXX", "XXX"), "api_key=XXX&symbol=LTCBTC&secret_key=XXX");
  EXPECT_EQ(spot_sign(p, "XXX", "XXX"), "AD26D501953EC615636AC668146268B4");
}

TEST(Url, EncodesReservedAndRoundTrips) {
  QueryParams q{{"startTime", "2024-01-01 00:00:00"}, {"a&b", "c=d/é"}};
  std::string enc = join_encoded(q);
  EXPECT_EQ(enc, "startTime=2024-01-01%2000%3A00%3A00&a%26b=c%3Dd%2F%C3%A9");
  EXPECT_EQ(split_query(enc), q);
}

TEST(ConstantTimeEqual, ComparesContent) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

}  // namespace
}  // namespace coinw::api
