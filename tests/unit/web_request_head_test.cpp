// When the connection stage hands a request to a worker: never before the
// worker could serve it without waiting on the client.
#include <gtest/gtest.h>

#include "web/request_head.h"

namespace coinw::web {
namespace {

using State = RequestScan::State;

State scan(std::string_view bytes, size_t max_head = 1024, size_t max_body = 64) {
  return scan_request(bytes, max_head, max_body).state;
}

TEST(WebRequestHead, ReadyOnceTheHeadEnds) {
  EXPECT_EQ(scan(""), State::incomplete);
  EXPECT_EQ(scan("GET /metrics HTTP/1.1\r\nHost: x\r\n"), State::incomplete) << "half-sent";
  EXPECT_EQ(scan("GET /metrics HTTP/1.1\r\nHost: x\r\n\r"), State::incomplete);
  EXPECT_EQ(scan("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), State::ready);
  EXPECT_EQ(scan("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n"), State::ready) << "pipelined";
}

TEST(WebRequestHead, LeadingEmptyLinesAreSkipped) {
  const auto s = scan_request("\r\n\r\nGET / HTTP/1.1\r\n\r\n", 1024, 64);
  EXPECT_EQ(s.state, State::ready);
  EXPECT_EQ(s.skip, 4u);
  EXPECT_EQ(scan_request("\r\n", 1024, 64).skip, 2u);
  EXPECT_EQ(scan("\r\n"), State::incomplete);
}

TEST(WebRequestHead, AHeadBeyondTheLimitIsTooLarge) {
  const std::string head = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a');
  EXPECT_EQ(scan(head, 64), State::too_large);
  EXPECT_EQ(scan(head + "\r\n\r\n", 64), State::too_large);
  EXPECT_EQ(scan(head + "\r\n\r\n", 256), State::ready);
}

TEST(WebRequestHead, WaitsForAContentLengthBody) {
  const std::string head = "POST /-/reload HTTP/1.1\r\ncontent-LENGTH: 5\r\n\r\n";
  EXPECT_EQ(scan(head), State::incomplete);
  EXPECT_EQ(scan(head + "abcd"), State::incomplete);
  EXPECT_EQ(scan(head + "abcde"), State::ready);
  EXPECT_EQ(scan("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), State::ready);
}

TEST(WebRequestHead, ABodyTheWorkerRefusesIsReadyAtOnce) {
  EXPECT_EQ(scan("POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n"), State::ready) << "over max_body: 413";
  EXPECT_EQ(scan("POST / HTTP/1.1\r\nContent-Length: x1\r\n\r\n"), State::ready) << "unreadable: 400";
  EXPECT_EQ(scan("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n"), State::ready);
  EXPECT_EQ(scan("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"), State::ready);
}

TEST(WebRequestHead, WaitsForTheLastChunk) {
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(scan(head), State::incomplete);
  EXPECT_EQ(scan(head + "3\r\nabc\r\n"), State::incomplete);
  EXPECT_EQ(scan(head + "3\r\nabc\r\n0\r\n\r\n"), State::ready);
  EXPECT_EQ(scan(head + std::string(70, 'z')), State::ready) << "longer than max_body";
}

}  // namespace
}  // namespace coinw::web
