#pragma once
// What the check's probes see beside the client's parsed results: every
// request sent (the Transport seam, so the fallback's retry counts too) with
// its raw answer, and what the client tells its observer (clock skew, the
// signature fallback).
#include <optional>
#include <vector>

#include "api/client.h"
#include "api/transport.h"

namespace coinw::check {

struct Exchange {
  std::string path;                         // without the query
  std::string command;                      // spot: the query's `command`, which tells its endpoints apart
  std::optional<api::HttpResponse> answer;  // none: the transport failed
};

class Recorder final : public api::Transport, public api::ClientObserver {
 public:
  explicit Recorder(api::Transport& inner) : inner_(inner) {}

  api::Result<api::HttpResponse> send(const api::HttpRequest& request) override;
  void on_request(api::Endpoint, Duration, const std::optional<api::FailureReason>&) override {}
  void on_clock_skew(api::Endpoint, double seconds) override { skews_.push_back(seconds); }
  void on_signature_fallback(api::Endpoint) override { fallback_ = true; }

  const std::vector<Exchange>& exchanges() const { return exchanges_; }
  size_t sent() const { return exchanges_.size(); }
  const std::vector<double>& skews() const { return skews_; }
  bool fallback() const { return fallback_; }
  // Bodies of every answer from `path` (and, on the spot path, `command`), refusals too.
  std::vector<std::string_view> bodies(std::string_view path, std::string_view command = {}) const;

 private:
  api::Transport& inner_;
  std::vector<Exchange> exchanges_;
  std::vector<double> skews_;
  bool fallback_ = false;
};

}  // namespace coinw::check
