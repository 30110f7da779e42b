#pragma once
// CoinW's two request-signing schemes (docs/coinw-api.md §1, §2). Pure functions,
// so both are checked byte for byte against the published test vectors.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/url.h"

namespace coinw::api {

// Standard base64 with padding.
std::string base64(std::string_view bytes);
std::string hmac_sha256_base64(std::string_view secret, std::string_view message);
std::string md5_upper_hex(std::string_view message);

// Futures scheme: timestamp + METHOD + path + ("?" + query) + body. Our reading
// signs the raw values; CoinW may instead check the query as the URL carries it
// (docs/coinw-api.md §1), hence `form`.
std::string futures_prehash(int64_t timestamp_ms, std::string_view method, std::string_view path,
                            const QueryParams& query, std::string_view body, QueryForm form = QueryForm::raw);
std::string futures_sign(std::string_view secret, int64_t timestamp_ms, std::string_view method, std::string_view path,
                         const QueryParams& query, std::string_view body, QueryForm form = QueryForm::raw);
// The same over a query string taken as it is (a server checking the request target).
std::string futures_prehash_of(int64_t timestamp_ms, std::string_view method, std::string_view path,
                               std::string_view query, std::string_view body);

// Spot scheme: params (without `command` and `sign`) plus api_key, sorted by
// name, joined raw, then `&secret_key=<secret>`.
std::string spot_string_to_sign(const QueryParams& params, std::string_view api_key, std::string_view secret);
std::string spot_sign(const QueryParams& params, std::string_view api_key, std::string_view secret);

// Compares without early exit, so signature checks leak no timing.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace coinw::api
