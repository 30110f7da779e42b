#include "collect/funds_collector.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "collect/amount_sum.h"
#include "collect/state_codec.h"
#include "exposition/catalogue.h"

namespace coinw::collect {
namespace {

using exposition::sample;
using exposition::with;
using nlohmann::json;
namespace metric = exposition::metric;

// CoinW refused this pair (an unknown subUid, a coin it does not know): asking
// again would fail again, so the walk moves on; the failure is counted.
bool refused(const api::ApiError& e) {
  using R = api::FailureReason;
  return e.sent && (e.reason == R::bad_request || e.reason == R::api_error || e.reason == R::permission ||
                    e.reason == R::unexpected_format || e.reason == R::malformed_response);
}

}  // namespace

// One (sub-account, coin) pair per step, over the list as it was when the pass started.
class FundsCollector::FundsPass final : public Pass {
 public:
  FundsPass(FundsCollector& owner, const SubAccountCollector& list) : Pass("funds", ""), owner_(owner), list_(list) {}

  std::optional<Want> wants(const Now& now) const override {
    std::lock_guard lock(mu_);
    if (cursor_ < todo_.size()) return Want{Priority::funds, false};
    if (started_ && now.steady - *started_ < owner_.config_.funds.min_refresh_interval) return std::nullopt;
    const auto subs = list_.current();
    if (!subs || subs->empty()) return std::nullopt;
    return Want{Priority::funds, true};
  }
  Duration interval() const override { return owner_.config_.funds.min_refresh_interval; }
  // The state file brought a pass back that completed at `t`: not walked again sooner.
  void restored(TimePoint steady, WallTime wall) {
    completed_at(wall);
    std::lock_guard lock(mu_);
    started_ = steady;
  }

  Step step(api::Client& client, TimePoint send_deadline, Clock& clock) override {
    std::unique_lock lock(mu_);
    if (cursor_ >= todo_.size()) start(clock.now());
    if (todo_.empty()) return Step{};  // the list emptied since wants(): nothing to ask
    const auto [uid, coin] = todo_[cursor_];
    lock.unlock();
    auto answer = client.transfer_available(uid, coin, send_deadline);
    Step s;
    s.at = Now{clock.now(), clock.wall_now()};
    if (answer)
      owner_.hold(uid, coin, answer.value());
    else
      s.error = answer.error();
    if (!answer && !refused(answer.error())) return s;  // the same pair again
    lock.lock();
    if (++cursor_ < todo_.size()) return s;
    const uint32_t n = number_;
    const auto uids = uids_;
    lock.unlock();
    owner_.complete(n, uids, s.at);
    completed_at(s.at.wall);
    s.completed = true;
    return s;
  }

 private:
  void start(TimePoint now) {
    uids_.clear();
    if (const auto subs = list_.current())
      for (const auto& sub : *subs) uids_.push_back(sub.uid);
    std::sort(uids_.begin(), uids_.end());
    uids_.erase(std::unique(uids_.begin(), uids_.end()), uids_.end());
    todo_.clear();
    for (uint64_t uid : uids_)
      for (const auto& coin : owner_.config_.funds.coins) todo_.emplace_back(uid, coin);
    cursor_ = 0;
    ++number_;
    started_ = now;
  }

  FundsCollector& owner_;
  const SubAccountCollector& list_;
  mutable std::mutex mu_;
  std::vector<uint64_t> uids_;
  std::vector<std::pair<uint64_t, std::string>> todo_;
  size_t cursor_ = 0;
  uint32_t number_ = 0;
  std::optional<TimePoint> started_;
};

FundsCollector::FundsCollector(config::SubAccountsConfig config, const SubAccountCollector& list)
    : config_(std::move(config)), pass_(std::make_unique<FundsPass>(*this, list)) {}

FundsCollector::~FundsCollector() = default;

std::vector<Pass*> FundsCollector::passes() { return {pass_.get()}; }

void FundsCollector::hold(uint64_t uid, const std::string& coin, const api::TransferAvailable& a) {
  std::lock_guard lock(mu_);
  holdings_[uid][coin] = Holding{a.text, a.amount};
}

void FundsCollector::complete(uint32_t n, const std::vector<uint64_t>& uids, const Now& at) {
  std::lock_guard lock(mu_);
  for (uint64_t uid : uids) listed_[uid] = n;
  // Gone from this pass's list and the one before: gone.
  std::erase_if(holdings_, [&](const auto& h) {
    const auto it = listed_.find(h.first);
    return n >= 2 && (it == listed_.end() || it->second + 1 < n);
  });
  std::erase_if(listed_, [&](const auto& l) { return !holdings_.contains(l.first); });
  std::map<std::string, AmountSum> sums;
  for (const auto& coin : config_.funds.coins) sums[coin];
  for (uint64_t uid : uids)
    if (const auto h = holdings_.find(uid); h != holdings_.end())
      for (const auto& [coin, holding] : h->second) sums[coin].add(holding.value);
  sums_.emplace();
  for (const auto& [coin, sum] : sums) (*sums_)[coin] = sum.value();
  completed_ = at.wall;
}

std::optional<WallTime> FundsCollector::full_refresh_time() const {
  std::lock_guard lock(mu_);
  return completed_;
}

bool FundsCollector::drop_stale() {
  std::lock_guard lock(mu_);
  if (holdings_.empty() && !sums_) return false;
  holdings_.clear();
  sums_.reset();
  return true;
}

void FundsCollector::collect(exposition::FamilySet& out, const RenderContext& r) const {
  if (!r.fresh) return;
  std::lock_guard lock(mu_);
  for (const auto& [uid, coins] : holdings_) {
    const auto l = with(r.account, "uid", std::to_string(uid));
    for (const auto& [coin, h] : coins) sample(out, metric::sub_account_transferable, with(l, "coin", coin), h.value);
  }
  if (sums_)
    for (const auto& [coin, sum] : *sums_)
      sample(out, metric::sub_accounts_transferable, with(r.account, "coin", coin), sum);
}

void FundsCollector::collect_progress(exposition::FamilySet& out, const exposition::Labels& account) const {
  sub_account_pass_progress(out, account, *pass_);
}

size_t FundsCollector::rows() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [uid, coins] : holdings_) n += coins.size();
  return n;
}

StateSlice FundsCollector::snapshot(std::optional<WallTime>, config::NickNamePolicy) const {
  std::lock_guard lock(mu_);
  return [holdings = holdings_, sums = sums_, completed = completed_](json& file) {
    json rows = json::array();
    for (const auto& [uid, coins] : holdings)
      for (const auto& [coin, h] : coins)
        rows.push_back({{"uid", uid}, {"coin", coin}, {"text", h.text}, {"amount", amount_json(h.value)}});
    json total = nullptr;
    if (sums) {
      total = json::object();
      for (const auto& [coin, sum] : *sums) total[coin] = amount_json(sum);
    }
    file["sub_account_funds"] = {
        {"completed_at_ns", time_json(completed)}, {"rows", std::move(rows)}, {"sums", std::move(total)}};
  };
}

std::optional<WallTime> FundsCollector::restore(const json& file, const RestoreContext& r) {
  const auto slice = file.find("sub_account_funds");
  if (slice == file.end()) return std::nullopt;
  const auto completed = time_of(*slice, "completed_at_ns");
  if (!r.usable(completed)) return std::nullopt;
  Holdings holdings;
  for (const auto& row : slice->at("rows")) {
    holdings[uint_of(row.at("uid"))][row.at("coin").get<std::string>()] =
        Holding{row.at("text").get<std::string>(), amount_of(row.at("amount"))};
  }
  std::optional<std::map<std::string, double>> sums;
  if (const auto& s = slice->at("sums"); !s.is_null()) {
    sums.emplace();
    for (const auto& [coin, v] : s.items()) (*sums)[coin] = amount_of(v);
  }
  pass_->restored(r.steady(*completed), *completed);
  std::lock_guard lock(mu_);
  holdings_ = std::move(holdings);
  sums_ = std::move(sums);
  completed_ = completed;
  return completed;
}

}  // namespace coinw::collect
