#include "collect/sub_account_collector.h"

#include <nlohmann/json.hpp>

#include "collect/labels.h"
#include "collect/poll_pass.h"
#include "collect/state_codec.h"
#include "exposition/catalogue.h"

namespace coinw::collect {
namespace {

using nlohmann::json;
namespace metric = exposition::metric;

json flag_json(bool value, bool known) { return known ? json(value ? 1 : 0) : json(nullptr); }

api::SubAccount sub_account_of(const json& r) {
  api::SubAccount sub;
  sub.uid = uint_of(r.at("uid"));
  sub.user_code = r.at("user_code").get<std::string>();
  sub.nick_name = r.at("nick_name").get<std::string>();
  sub.frozen = int_of(r.at("frozen")) != 0;
  sub.spot_trade_known = !r.at("spot_trade").is_null();
  sub.spot_trade_enabled = sub.spot_trade_known && int_of(r["spot_trade"]) == 1;
  sub.contract_trade_known = !r.at("contract_trade").is_null();
  sub.contract_trade_enabled = sub.contract_trade_known && int_of(r["contract_trade"]) == 1;
  return sub;
}

}  // namespace

// The whole list, one request, every min_refresh_interval.
SubAccountCollector::SubAccountCollector(config::SubAccountsConfig config)
    : config_(std::move(config)),
      pass_(std::make_unique<ListPass>(
          "list", Priority::list, config_.min_refresh_interval,
          [](api::Client& c, TimePoint deadline) { return c.sub_accounts(deadline); },
          [this](api::SubAccountList list, const Now& at) { take(std::move(list.rows), at); })) {}

SubAccountCollector::~SubAccountCollector() = default;

std::vector<Pass*> SubAccountCollector::passes() { return {pass_.get()}; }

void SubAccountCollector::take(std::vector<api::SubAccount> rows, const Now& at) {
  changes_.observe(rows);
  std::lock_guard lock(mu_);
  rows_ = std::make_shared<const std::vector<api::SubAccount>>(std::move(rows));
  fetched_ = at.wall;
}

SubAccountCollector::Rows SubAccountCollector::current() const {
  std::lock_guard lock(mu_);
  return rows_;
}

std::optional<WallTime> SubAccountCollector::full_refresh_time() const {
  std::lock_guard lock(mu_);
  return fetched_;
}

bool SubAccountCollector::drop_stale() {
  std::lock_guard lock(mu_);
  if (!rows_) return false;
  rows_.reset();
  return true;
}

void SubAccountCollector::collect(exposition::FamilySet& out, const RenderContext& r) const {
  using exposition::sample;
  using exposition::with;
  if (const Rows subs = r.fresh ? current() : nullptr) {
    for (const auto& sub : *subs) {
      const auto l = with(r.account, "uid", std::to_string(sub.uid));
      sample(out, metric::sub_account_frozen, l, sub.frozen ? 1 : 0);
      if (sub.spot_trade_known) sample(out, metric::sub_account_spot_trade_enabled, l, sub.spot_trade_enabled ? 1 : 0);
      if (sub.contract_trade_known)
        sample(out, metric::sub_account_contract_trade_enabled, l, sub.contract_trade_enabled ? 1 : 0);
      auto info = with(l, "user_code", bounded(sub.user_code));
      info.push_back({"nick_name", nick_name_label(sub.nick_name, r.nick_name)});
      sample(out, metric::sub_account_info, info, 1);
    }
    sample(out, metric::sub_accounts, r.account, static_cast<double>(subs->size()));
  }
  // Counters and declared states: they change only with a refresh or a reload.
  changes_.collect(out, r.account, config_.expected);
}

size_t SubAccountCollector::rows() const {
  const Rows subs = current();
  return subs ? subs->size() : 0;
}

StateSlice SubAccountCollector::snapshot(std::optional<WallTime> fetched, config::NickNamePolicy nick) const {
  return [subs = current(), fetched, nick](json& file) {
    json rows = json::array();
    if (subs)
      for (const auto& sub : *subs)
        // Only what is exposed goes to disk: a masked nickname stays masked.
        rows.push_back({{"uid", sub.uid},
                        {"user_code", sub.user_code},
                        {"nick_name", nick_name_label(sub.nick_name, nick)},
                        {"frozen", sub.frozen ? 1 : 0},
                        {"spot_trade", flag_json(sub.spot_trade_enabled, sub.spot_trade_known)},
                        {"contract_trade", flag_json(sub.contract_trade_enabled, sub.contract_trade_known)}});
    file["sub_accounts"] = {{"fetched_at_ns", time_json(fetched)}, {"rows", std::move(rows)}};
  };
}

std::optional<WallTime> SubAccountCollector::restore(const json& file, const RestoreContext& r) {
  auto restored = usable_rows<api::SubAccount>(file, "sub_accounts", r, sub_account_of);
  if (!restored) return std::nullopt;
  auto& [fetched, rows] = *restored;
  pass_->restored(r.steady(fetched), fetched);
  std::lock_guard lock(mu_);
  rows_ = std::make_shared<const std::vector<api::SubAccount>>(std::move(rows));
  fetched_ = fetched;
  return fetched;
}

void sub_account_pass_progress(exposition::FamilySet& out, const exposition::Labels& account, const Pass& pass) {
  const auto l = exposition::with(account, "pass", pass.name());
  exposition::sample(out, metric::sub_account_pass_requests, l, static_cast<double>(pass.requests()));
  if (auto t = pass.last_complete_seconds()) exposition::sample(out, metric::sub_account_pass_last_complete, l, *t);
}

}  // namespace coinw::collect
