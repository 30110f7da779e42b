#pragma once
// Query strings are ordered lists: CoinW's futures scheme signs the query in the
// order it is sent, so nothing here sorts.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coinw::api {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// How a query string is written: values as they are, or percent-encoded as in the URL.
enum class QueryForm { raw, encoded };

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percent_encode(std::string_view s);
// Decodes %XX and '+' (as space); malformed escapes are kept literally.
std::string percent_decode(std::string_view s);

// `k=v&k=v` with raw values (what the futures scheme signs).
std::string join_raw(const QueryParams& params);
// `k=v&k=v` percent-encoded (what goes on the wire).
std::string join_encoded(const QueryParams& params);
std::string join(const QueryParams& params, QueryForm form);
// Splits a (possibly encoded) query string into decoded pairs, keeping order.
QueryParams split_query(std::string_view query);

}  // namespace coinw::api
