#pragma once
// What an account has cached, kept on disk under global.state_dir so a restart
// serves every value from the first scrape, stamped with its original fetch
// time. One file per account, `account-<name>.json`, written atomically (temp
// file, fsync, rename) with mode 0600 by a background thread, so no scrape waits
// on the disk. The format is versioned (README, "State directory"); a file that
// is missing, truncated, corrupt or of another version is reported and ignored.
// Nothing secret is written, and nickName only in the form it is exposed.
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/parse.h"
#include "collect/invitee_book.h"
#include "collect/window_pass.h"

namespace coinw::collect {

using WallTime = std::chrono::system_clock::time_point;

inline constexpr int kStateVersion = 1;

struct QuoteState {
  std::string quote;
  BookState book;
  std::optional<WallTime> complete;  // when the last applied pass ended
};

struct AccountState {
  std::string account;
  std::optional<WallTime> invitees_fetched;  // last data from CoinW, any quote
  std::vector<QuoteState> quotes;
  std::vector<WindowState> windows;  // the last complete pass of each window's current period
  std::optional<WallTime> sub_accounts_fetched;
  std::vector<api::SubAccount> sub_accounts;  // nick_name as exposed, never more
};

std::string encode_state(const AccountState& state, WallTime written);
// The state in `text`, or an error saying what is wrong with it.
std::optional<AccountState> decode_state(std::string_view text, std::string& error);

class StateStore {
 public:
  explicit StateStore(std::filesystem::path dir);
  ~StateStore();  // writes what is still queued
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path_for(const std::string& account) const;
  // Queues a write of the account's state; a newer one replaces a queued one.
  void save(AccountState state);
  // Writes everything queued before returning.
  void flush();
  // The account's state, or nullopt after a warning naming the file.
  std::optional<AccountState> load(const std::string& account) const;
  // Writes now, on the calling thread; false (with a warning) when it could not.
  bool write(const AccountState& state) const;

 private:
  void run();

  const std::filesystem::path dir_;
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::map<std::string, AccountState> queued_;
  bool busy_ = false, stopping_ = false;
  std::thread writer_;
};

}  // namespace coinw::collect
