#pragma once
// The invitee rows of one quote, refreshed page by page. A pass walks every page;
// it may span several scrapes, and each page's rows replace their old values as
// soon as they arrive. Rows not seen by a completed pass are gone from CoinW and
// are dropped then. Rows are kept compact in a vector sorted by uid, because
// large affiliates have 100,000 invitees.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/pager.h"
#include "api/parse.h"

namespace coinw::collect {

inline constexpr double kNoAmount = std::numeric_limits<double>::quiet_NaN();
inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct InviteeRow {
  uint64_t uid = 0;
  double total_deposit = kNoAmount;
  double total_withdrawal = kNoAmount;
  double current_balance = kNoAmount;
  double first_deposit_amount = kNoAmount;
  int64_t first_deposit_time = kNoTime;
  int64_t update_time = kNoTime;
  uint32_t pass = 0;  // the pass that last saw it
};

class InviteeBook {
 public:
  InviteeBook(std::string quote, int page_size);

  const std::string& quote() const { return quote_; }
  bool pass_in_progress() const;
  void start_pass();
  api::InviteeQuery next_query() const;
  // Merges one page answered to next_query(); returns true when it completed the pass.
  bool apply(const api::InviteePage& page);
  void clear();

  // Readers take a shared lock, so a scrape can render while another refreshes.
  template <class F>
  void for_each(F&& f) const {
    std::shared_lock lock(mu_);
    for (const auto& r : rows_) f(r);
  }
  size_t size() const;
  std::optional<int64_t> total() const;  // data.total as CoinW last said

 private:
  void merge(const api::InviteeAsset& a);

  const std::string quote_;
  mutable std::shared_mutex mu_;
  std::vector<InviteeRow> rows_;
  api::InviteePager pager_;
  bool in_pass_ = false;
  uint32_t pass_ = 0;
  std::optional<int64_t> total_;
};

}  // namespace coinw::collect
