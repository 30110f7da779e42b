#pragma once
// CoinW behind the transport seam, in memory: paged invitees and a sub-account
// list, every request logged with the (virtual) time it was sent. A test can
// make answers fail, or hold them until it releases them.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/transport.h"
#include "common/clock.h"
#include "common/coinw_facts.h"
#include "sim/endpoints.h"

namespace coinw::testing {

struct Sent {
  TimePoint at;
  std::string path;
  int page_no = 0;
};

class FakeCoinw {
 public:
  FakeCoinw(Clock& clock, int invitees, int sub_accounts)
      : clock_(clock), invitees_(invitees), sub_accounts_(sub_accounts) {}

  // A transport for one account; all of them share this CoinW.
  std::unique_ptr<api::Transport> transport() { return std::make_unique<Seam>(*this); }

  std::vector<Sent> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::vector<Sent> sent_to(const char* path) const {
    std::vector<Sent> out;
    for (auto& s : sent())
      if (s.path == path) out.push_back(s);
    return out;
  }
  void fail_with_http(int status) {
    std::lock_guard lock(mu_);
    fail_status_ = status;
  }
  // Requests wait in send() until released; wait_for_held() returns once one does.
  void hold() {
    std::lock_guard lock(mu_);
    holding_ = true;
  }
  // The next `n` requests pass; those after them wait in send() until released.
  void hold_after(size_t n) {
    std::lock_guard lock(mu_);
    hold_from_ = sent_.size() + n;
  }
  // Until `n` requests arrived (false after 30 s of real time: a test that
  // waits for what never comes fails instead of hanging).
  bool wait_for_requests(size_t n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return sent_.size() >= n; });
  }
  void wait_for_held() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return held_ > 0; });
  }
  void release() {
    std::lock_guard lock(mu_);
    holding_ = false;
    hold_from_.reset();
    changed_.notify_all();
  }

  // One invitee row: amounts derived from the uid, so sums are known.
  static double deposit_of(int uid) { return uid * 10.0; }

 private:
  struct Seam final : api::Transport {
    explicit Seam(FakeCoinw& c) : coinw(c) {}
    api::Result<api::HttpResponse> send(const api::HttpRequest& r) override { return coinw.answer(r); }
    FakeCoinw& coinw;
  };

  api::Result<api::HttpResponse> answer(const api::HttpRequest& r) {
    std::unique_lock lock(mu_);
    Sent s{clock_.now(), r.path, 0};
    int page_size = 0;
    for (const auto& [k, v] : r.query) {
      if (k == "pageNo") s.page_no = std::stoi(v);
      if (k == "pageSize") page_size = std::stoi(v);
    }
    const size_t index = sent_.size();
    sent_.push_back(s);
    ++held_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !holding_ && (!hold_from_ || index < *hold_from_); });
    --held_;
    if (fail_status_) return api::HttpResponse{fail_status_, "", std::nullopt, std::nullopt};
    std::string body;
    if (r.path == facts::kInviteeAssetsPath) {
      std::string list;
      for (int i = (s.page_no - 1) * page_size; i < s.page_no * page_size && i < invitees_; ++i) {
        const int uid = 1000 + i;
        list += (list.empty() ? "" : ",") + std::string("{\"uid\":") + std::to_string(uid) + ",\"totalDeposit\":\"" +
                std::to_string(deposit_of(uid)) +
                "\",\"totalWithdrawal\":\"1\",\"currentBalance\":\"2\",\"firstDepositAmount\":\"3\","
                "\"updateTime\":\"2024-01-01 00:00:00\",\"firstDepositTime\":\"2023-12-31 00:00:00\"}";
      }
      body =
          R"({"code":"0","msg":"success","data":{"total":)" + std::to_string(invitees_) + R"(,"list":[)" + list + "]}}";
    } else if (const std::string* c = sim::find_param(r.query, "command"); c && *c != facts::kSubAccountListCommand) {
      // The sub-accounts have no API keys here (sub_account_keys_funds_test.cpp covers them).
      body = R"({"code":"200","msg":"SUCCESS","success":true,"failed":false,"data":[]})";
    } else {
      std::string list;
      for (int i = 0; i < sub_accounts_; ++i)
        list += (list.empty() ? "" : ",") + std::string("{\"spotUid\":") + std::to_string(2000 + i) +
                R"(,"userCode":"c","nickName":"n","frozenFlag":0,"spotTradeFlag":1,"contractTradeFlag":1})";
      body = R"({"code":"200","msg":"SUCCESS","success":true,"failed":false,"data":[)" + list + "]}";
    }
    return api::HttpResponse{200, std::move(body), std::nullopt, std::nullopt};
  }

  Clock& clock_;
  const int invitees_, sub_accounts_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Sent> sent_;
  int fail_status_ = 0;
  bool holding_ = false;
  std::optional<size_t> hold_from_;
  int held_ = 0;
};

}  // namespace coinw::testing
