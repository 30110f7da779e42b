#pragma once
// The cumulative invitee rows of one quote, refreshed page by page. A pass walks
// every page; it may span several scrapes, and each page's rows replace their
// old values as soon as they arrive. Rows move between pages while invitees
// join and leave, so a complete pass is not believed blindly: a cached invitee
// goes only when two consecutive complete passes lack it, and a sudden shrink
// waits for confirmation (shrink_guard.h). The sums are taken when a pass is
// applied, so they always describe one complete pass, never a half-walked one.
#include <cstdint>
#include <limits>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/parse.h"
#include "collect/paged_rows.h"
#include "collect/shrink_guard.h"

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

// The per-quote sums of one applied pass.
struct PassTotals {
  size_t invitees = 0;
  double deposits = 0, withdrawals = 0, balance = 0, depositors = 0;
};

// How a pass ended, for the log.
struct PassEnd {
  int pages = 0;
  size_t rows = 0;  // distinct uids the pass saw
  ShrinkGuard::Verdict verdict = ShrinkGuard::Verdict::apply;
  size_t removed = 0;
};

// What a book keeps across a restart (the state file).
struct BookState {
  std::vector<InviteeRow> rows;
  std::optional<int64_t> reported;   // CoinW's last count
  std::optional<PassTotals> totals;  // of the last applied pass
  uint64_t removed = 0;
};

class InviteeBook {
 public:
  InviteeBook(std::string quote, int page_size);

  const std::string& quote() const { return quote_; }
  bool pass_in_progress() const;
  void start_pass();
  api::InviteeQuery next_query() const;
  // Merges one page answered to next_query(); returns how the pass ended when
  // this page completed it. `min_interval` spaces a shrink and its confirmation.
  std::optional<PassEnd> apply(const api::InviteePage& page, TimePoint now, Duration min_interval);
  // One invitee fetched on its own (the watch list): its values change now,
  // between passes, without counting as a sighting by the pass in progress.
  void refresh_row(const api::InviteeAsset& a);
  void clear();
  BookState state() const;
  // Replaces the rows, as if the pass that produced them had just been applied.
  void restore(BookState s);

  // Readers take a shared lock, so a scrape can render while another refreshes.
  template <class F>
  void for_each(F&& f) const {
    std::shared_lock lock(mu_);
    for (const auto& r : rows_.rows()) f(r);
  }
  size_t size() const;
  std::optional<int64_t> total() const;      // data.total as CoinW last said
  std::optional<PassTotals> totals() const;  // of the last applied pass
  uint64_t removed() const;                  // rows removed since start
  // Rows of the current pass over those of the last applied one (CoinW's
  // count before any): 1 when no pass runs.
  std::optional<double> progress() const;

 private:
  PassEnd complete(TimePoint now, Duration min_interval);

  const std::string quote_;
  mutable std::shared_mutex mu_;
  PagedRows<InviteeRow> rows_;
  std::optional<PassTotals> totals_;
  std::optional<uint32_t> last_applied_, held_;  // pass numbers
  ShrinkGuard guard_;
  uint64_t removed_ = 0;
};

}  // namespace coinw::collect
