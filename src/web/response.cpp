#include <charconv>

#include "web/server.h"
#include "web/text.h"

namespace coinw::web {
namespace {

// The q parameter of one coding ("gzip;q=0.5"); 1 when absent, 0 when unreadable.
double quality(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
    double q = 0;
    const auto [end, ec] = std::from_chars(p.data() + 2, p.data() + p.size(), q);
    return ec == std::errc() && end == p.data() + p.size() ? q : 0;
  }
  return 1;
}

}  // namespace

bool accepts_gzip(std::string_view header) {
  std::optional<double> gzip, any;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1 : quality(item.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip = q;
    if (coding == "*") any = q;
  }
  // A coding named explicitly outranks the wildcard.
  return gzip ? *gzip > 0 : any.value_or(0) > 0;
}

Response text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

std::string Response::joined() const {
  if (parts.empty()) return body;
  std::string out;
  for (const auto& p : parts) out += *p;
  return out;
}

}  // namespace coinw::web
