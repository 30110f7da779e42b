#pragma once
// Internal to the web module: whether the bytes received on a connection hold a
// request a worker can serve without waiting on the client. Pure.
#include <cstddef>
#include <string_view>

namespace coinw::web {

struct RequestScan {
  enum class State {
    incomplete,  // wait for more bytes
    ready,       // hand the connection to a worker
    too_large,   // a head longer than the limit: not a client we serve
  };
  State state = State::incomplete;
  // Empty lines before the request line, which RFC 9112 lets a server ignore
  // (some clients send one after a body).
  size_t skip = 0;
};

// A request is ready once its head (up to the empty line) has arrived and then
// its body: Content-Length bytes, or a chunked body up to what looks like its
// last chunk. A body larger than `max_body`, or a length that cannot be read,
// is ready at once: the worker answers it without reading on.
RequestScan scan_request(std::string_view received, size_t max_head, size_t max_body);

}  // namespace coinw::web
