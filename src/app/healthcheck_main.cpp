// coinw_healthcheck URL: exits 0 when GET URL answers 2xx within 5 s, else 1.
// For container HEALTHCHECKs in images without a shell or curl.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include "api/transport.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: coinw_healthcheck URL   (exit 0 when GET URL answers 2xx within 5 s)\n");
    return 1;
  }
  // One deadline for DNS, connect, TLS and the answer together.
  std::signal(SIGALRM, [](int) { _exit(1); });
  alarm(5);
  try {
    const std::string url = argv[1];
    const auto scheme_end = url.find("://");
    const auto host_end = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    const auto query = url.find('?', host_end);
    coinw::api::TransportOptions options;
    options.base_url = url.substr(0, host_end);
    coinw::api::HttpRequest request;
    request.method = "GET";
    request.path = host_end == std::string::npos ? "/" : url.substr(host_end, query - host_end);
    if (query != std::string::npos) request.query = coinw::api::split_query(url.substr(query + 1));
    auto response = coinw::api::make_http_transport(options)->send(request);
    if (!response) {
      std::fprintf(stderr, "coinw_healthcheck: %s\n", response.error().message.c_str());
      return 1;
    }
    if (response.value().status < 200 || response.value().status > 299) {
      std::fprintf(stderr, "coinw_healthcheck: HTTP %d\n", response.value().status);
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {  // a URL the transport cannot use
    std::fprintf(stderr, "coinw_healthcheck: %s\n", e.what());
    return 1;
  }
}
