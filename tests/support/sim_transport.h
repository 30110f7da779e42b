#pragma once
// The simulator's endpoint logic behind the transport seam, in memory and in
// virtual time: answers come from a sim::Dataset the test can edit (a deposit
// at a chosen second), and every invitee request is logged with its query.
// Signatures are not checked here (tests/unit/signing_test.cpp does that).
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/transport.h"
#include "common/clock.h"
#include "common/coinw_facts.h"
#include "sim/endpoints.h"
#include "sim/funnel.h"

namespace coinw::testing {

struct SimRequest {
  TimePoint at;
  api::QueryParams query;
  const std::string* param(std::string_view name) const { return sim::find_param(query, name); }
};

class SimTransport {
 public:
  SimTransport(Clock& clock, sim::Dataset& data, int offset_s = 0) : clock_(clock), data_(data), offset_s_(offset_s) {}

  std::unique_ptr<api::Transport> transport() { return std::make_unique<Seam>(*this); }
  std::vector<SimRequest> invitee_requests() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  // Requests with (or, given false, without) a parameter, e.g. startTime.
  size_t count(std::string_view param, bool with = true) const {
    size_t n = 0;
    for (const auto& r : invitee_requests()) n += (r.param(param) != nullptr) == with;
    return n;
  }
  // The next `n` invitee answers are successes with no rows, as a glitching CoinW's.
  void empty_answers(int n) {
    std::lock_guard lock(mu_);
    empty_answers_ = n;
  }
  // Departures from the docs in the answers' rendering (Drift: total_skew, formats).
  void drift(const sim::Drift& d, bool formats_changed = false) {
    std::lock_guard lock(mu_);
    drift_ = d;
    formats_changed_ = formats_changed;
  }
  // The next `n` invitee requests fail as a closed connection would.
  void drop_connections(int n) {
    std::lock_guard lock(mu_);
    drops_ = n;
  }
  void clear() {
    std::lock_guard lock(mu_);
    sent_.clear();
    spot_sent_.clear();
    funnel_sent_.clear();
  }
  // The funnel endpoints (sim/funnel.h): their requests, logged apart from the
  // invitee-assets ones; a hook run after each of their answers (a sign-up
  // between two pages, say); the longest sign-up range answered.
  struct FunnelRequest {
    TimePoint at;
    std::string path;
    api::QueryParams query;
    std::string body;
  };
  std::vector<FunnelRequest> funnel_requests(std::string_view path) const {
    std::lock_guard lock(mu_);
    std::vector<FunnelRequest> out;
    for (const auto& r : funnel_sent_)
      if (r.path == path) out.push_back(r);
    return out;
  }
  void after_funnel_answer(std::function<void(sim::Dataset&, size_t answered)> hook) {
    std::lock_guard lock(mu_);
    after_funnel_ = std::move(hook);
  }
  void list_max_range_days(int days) {
    std::lock_guard lock(mu_);
    max_range_days_ = days;
  }
  void volume_max_range_days(int days) {
    std::lock_guard lock(mu_);
    volume_max_range_days_ = days;
  }
  // Every sub-account request (list, keys, transferable), as the server saw it.
  std::vector<SimRequest> spot_requests() const {
    std::lock_guard lock(mu_);
    return spot_sent_;
  }
  // The next `n` API-key answers are successes with no keys.
  void empty_key_answers(int n) {
    std::lock_guard lock(mu_);
    empty_key_answers_ = n;
  }
  // The next `n` invitee requests are answered; those after them wait until
  // release(), so a test can look at a refresh in the middle of a pass.
  void hold_after(size_t n) {
    std::lock_guard lock(mu_);
    hold_from_ = sent_.size() + n;
  }
  void release() {
    std::lock_guard lock(mu_);
    hold_from_.reset();
    released_.notify_all();
  }

 private:
  struct Seam final : api::Transport {
    explicit Seam(SimTransport& t) : sim(t) {}
    api::Result<api::HttpResponse> send(const api::HttpRequest& r) override { return sim.answer(r); }
    SimTransport& sim;
  };

  api::Result<api::HttpResponse> answer(const api::HttpRequest& r) {
    std::unique_lock lock(mu_);
    if (r.path == facts::kInviteeAssetsPath) {
      const size_t index = sent_.size();
      released_.wait(lock, [&] { return !hold_from_ || index < *hold_from_; });
    }
    sim::Rendering rendering;
    rendering.offset_s = offset_s_;
    rendering.drift = drift_;
    rendering.formats_changed = formats_changed_;
    if (r.path == facts::kInviteeAssetsPath && drops_ > 0) {
      --drops_;
      sent_.push_back({clock_.now(), r.query});
      return api::ApiError{api::FailureReason::network, "connection closed by peer", "", 0, {}};
    }
    if (r.path == facts::kInviteeAssetsPath && empty_answers_ > 0) {
      rendering.empty = true;
      --empty_answers_;
    }
    if (r.path == facts::kInviteeListPath || r.path == facts::kInviteeVolumePath) return funnel(r, rendering);
    if (r.path != facts::kInviteeAssetsPath) return spot(r, rendering);
    sent_.push_back({clock_.now(), r.query});
    auto q = sim::parse_invitee_query(r.query, 20, 100, offset_s_);
    if (auto* e = std::get_if<sim::ParamError>(&q))
      return api::HttpResponse{200, sim::futures_error_body(e->code, e->msg, rendering), std::nullopt, std::nullopt};
    return api::HttpResponse{200, sim::invitee_assets_body(data_, std::get<sim::InviteeQuery>(q), rendering),
                             std::nullopt, std::nullopt};
  }

  // The sub-account commands, each request logged in spot_sent_.
  api::Result<api::HttpResponse> spot(const api::HttpRequest& r, sim::Rendering& rendering) {
    spot_sent_.push_back({clock_.now(), r.query});
    auto ok = [](std::string body) { return api::HttpResponse{200, std::move(body), std::nullopt, std::nullopt}; };
    const std::string* command = sim::find_param(r.query, "command");
    if (command && *command == facts::kSubAccountApiKeyCommand) {
      rendering.empty = empty_key_answers_ > 0;
      if (rendering.empty) --empty_key_answers_;
      return ok(sim::sub_account_apikey_body(data_, rendering));
    }
    if (command && *command == facts::kTransferAvailableCommand) {
      auto q = sim::parse_transfer_query(r.query);
      if (auto* e = std::get_if<sim::ParamError>(&q)) return ok(sim::spot_error_body(e->code, e->msg, rendering));
      auto body = sim::transfer_available_body(data_, std::get<sim::TransferQuery>(q), rendering);
      if (auto* e = std::get_if<sim::ParamError>(&body)) return ok(sim::spot_error_body(e->code, e->msg, rendering));
      return ok(std::get<std::string>(std::move(body)));
    }
    if (command && *command == facts::kSubAccountListCommand) return ok(sim::sub_account_list_body(data_, rendering));
    return ok(sim::spot_error_body(sim::kInternal, "unsupported command", rendering));
  }

  // Holds mu_.
  api::Result<api::HttpResponse> funnel(const api::HttpRequest& r, sim::Rendering rendering) {
    funnel_sent_.push_back({clock_.now(), r.path, r.query, r.body});
    if (empty_answers_ > 0) {
      rendering.empty = true;
      --empty_answers_;
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.wall_now().time_since_epoch()).count();
    auto answer = [&](const auto& parsed, auto body) {
      if (auto* e = std::get_if<sim::ParamError>(&parsed)) return sim::futures_error_body(e->code, e->msg, rendering);
      return body(data_, std::get<0>(parsed), rendering);
    };
    std::string body =
        r.path == facts::kInviteeListPath
            ? answer(sim::parse_registration_query(r.query, offset_s_, now, max_range_days_),
                     sim::registration_list_body)
            : answer(sim::parse_volume_body(r.body, offset_s_, now, volume_max_range_days_), sim::volume_list_body);
    if (after_funnel_) after_funnel_(data_, funnel_sent_.size());
    return api::HttpResponse{200, std::move(body), std::nullopt, std::nullopt};
  }

  Clock& clock_;
  sim::Dataset& data_;
  const int offset_s_;
  mutable std::mutex mu_;
  std::condition_variable released_;
  std::optional<size_t> hold_from_;
  std::vector<SimRequest> sent_;
  std::vector<SimRequest> spot_sent_;
  std::vector<FunnelRequest> funnel_sent_;
  std::function<void(sim::Dataset&, size_t)> after_funnel_;
  int max_range_days_ = 0, volume_max_range_days_ = 0;
  int empty_answers_ = 0, drops_ = 0, empty_key_answers_ = 0;
  sim::Drift drift_{};
  bool formats_changed_ = false;
};

}  // namespace coinw::testing
