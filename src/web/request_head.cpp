#include "web/request_head.h"

#include <charconv>
#include <optional>

#include "web/text.h"

namespace coinw::web {
namespace {

struct Framing {
  bool chunked = false;
  std::optional<size_t> length;
  bool unreadable = false;
};

Framing framing(std::string_view head) {
  Framing f;
  // The request line first, then one header a line; the head ends with "\r\n".
  for (size_t eol = head.find("\r\n"); eol != std::string_view::npos;) {
    const size_t start = eol + 2;
    eol = head.find("\r\n", start);
    if (eol == std::string_view::npos) break;
    const std::string_view line = head.substr(start, eol - start);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
    if (iequals(name, "transfer-encoding")) f.chunked = true;
    if (!iequals(name, "content-length") || f.length) continue;
    size_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
      f.unreadable = true;
    else
      f.length = n;
  }
  return f;
}

}  // namespace

RequestScan scan_request(std::string_view received, size_t max_head, size_t max_body) {
  RequestScan out;
  while (received.substr(out.skip).starts_with("\r\n")) out.skip += 2;
  const std::string_view request = received.substr(out.skip);
  const size_t end = request.find("\r\n\r\n");
  if (end == std::string_view::npos || end + 4 > max_head) {
    if (request.size() > max_head) out.state = RequestScan::State::too_large;
    return out;
  }
  const Framing f = framing(request.substr(0, end + 4));
  const std::string_view body = request.substr(end + 4);
  bool whole = true;
  if (f.unreadable || (f.length && *f.length > max_body) || body.size() > max_body)
    whole = true;  // the worker refuses it without reading on
  else if (f.chunked)
    // A stray match only hands the rest of the body to the worker's bounded read.
    whole = body.find("0\r\n\r\n") != std::string_view::npos;
  else if (f.length)
    whole = body.size() >= *f.length;
  if (whole) out.state = RequestScan::State::ready;
  return out;
}

}  // namespace coinw::web
