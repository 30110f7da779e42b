#pragma once
// The simulator's accounts: invitees with a deposit/withdrawal history per quote,
// and sub-accounts. Generated from a seed with our own PRNG (std distributions
// differ between standard libraries), so the same seed gives the same bytes anywhere.
// Not thread-safe: the Simulator guards it.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace coinw::sim {

enum class Quote { usdt, usdc };
std::optional<Quote> parse_quote(std::string_view text);  // exact lower case, like the docs
const char* quote_name(Quote q);

// Amounts are integers in units of 1e-8, so totals are exact and print with 8 decimals.
std::string format_amount(int64_t units);
// Accepts "123", "123.45", "-0.5" (at most 8 decimals).
std::optional<int64_t> parse_amount(std::string_view text);

struct Movement {
  int64_t time;  // epoch seconds
  bool deposit;  // false: withdrawal
  int64_t amount;
};

struct Invitee {
  int64_t uid;
  int64_t registered;             // epoch seconds
  std::vector<Movement> history;  // ascending time
  int64_t balance;                // currentBalance: history net plus trading result
  int64_t update_time;            // epoch seconds
  const Movement* first_deposit() const;
};

// Books `m` into the history (kept in time order), the balance and updateTime.
void book_movement(Invitee& inv, const Movement& m);

struct Totals {
  int64_t deposit = 0;
  int64_t withdrawal = 0;
};
// Sums the history inside [from, to] (either end open when absent).
Totals totals(const Invitee& inv, std::optional<int64_t> from, std::optional<int64_t> to);

// A sub-account's API key, as subAccount_apikey lists it.
struct ApiKey {
  std::string key;  // the public key
  std::string remark;
  std::vector<std::string> whitelist;  // the bound IPs
  int64_t created_ms = 0;
  bool read_only = false, ip_whitelist = false, spot_trade = false, contract_trade = false;
};

// The coins a generated sub-account holds; any other coin code CoinW knows answers 0.
inline constexpr std::array<std::string_view, 4> kCoins = {"USDT", "USDC", "BTC", "ETH"};

struct SubAccount {
  int64_t spot_uid;
  std::string user_code;
  std::string nick_name;
  bool frozen;
  bool spot_trade;
  bool contract_trade;
  std::vector<ApiKey> api_keys;
  std::map<std::string, int64_t, std::less<>> transferable;  // by coin, units of 1e-8
};

// The simulator's "now" and the zone of its days and months. The generated
// history ends in 2024; with an anchor, a share of the invitees also get
// movements in the anchor's previous month, earlier in its month and on its day,
// never after it, so windows like "today" are not empty.
struct Anchor {
  int64_t now;  // epoch seconds
  int offset_s = 0;
};

class Dataset {
 public:
  Dataset(uint64_t seed, int invitees_per_quote, int sub_accounts, std::optional<Anchor> anchor = std::nullopt);

  const std::vector<Invitee>& invitees(Quote q) const { return q == Quote::usdt ? usdt_ : usdc_; }
  const std::vector<SubAccount>& sub_accounts() const { return subs_; }
  Invitee* find_invitee(Quote q, int64_t uid);
  SubAccount* find_sub_account(int64_t spot_uid);

  // New invitees get uids above every existing one, so they sort last.
  void add_invitees(Quote q, int n);
  // Churn that moves every row by one page position: invitees joining below
  // the lowest uid, or the lowest ones leaving.
  void insert_lowest(Quote q, int n);
  void remove_lowest(Quote q, int n);
  // Books a movement (amount > 0) into the history, balance and updateTime;
  // false when the uid is unknown.
  bool add_movement(Quote q, int64_t uid, const Movement& m);

  // The funnel (funnel.h). A sign-up is an invitee of either quote, at the
  // earlier of its registration times (before any movement of either).
  struct Signup {
    int64_t uid, registered;
  };
  std::vector<Signup> signups() const;  // by uid
  // A new invitee of both quotes registered at `at`, who has neither deposited
  // nor traded yet; its uid, above every other.
  int64_t add_signup(int64_t at);
  // Trading volume per (day since 1970-01-01, uid) in units of 1e-8. With an
  // anchor, a share of the invitees trade on some days of its previous month
  // and its month up to its day, whether they deposited or not.
  const std::map<std::pair<int32_t, int64_t>, int64_t>& volumes() const { return volumes_; }
  // Adds `units` (> 0) to the uid's volume on `day`; false when the uid is unknown.
  bool book_trade(int64_t uid, int32_t day, int64_t units);
  // API keys (sub_account_assets.cpp). add_api_key gives the key a fresh public
  // key and returns it, or nullptr when the uid is unknown.
  const ApiKey* add_api_key(int64_t spot_uid, ApiKey key);
  ApiKey* find_api_key(std::string_view key);
  bool remove_api_key(std::string_view key);

  // Exact values (amounts as decimal strings, times formatted in `offset_s`), for tests.
  nlohmann::json to_json(int offset_s) const;

 private:
  Invitee make_invitee(uint64_t& rng, int64_t uid, Quote q) const;
  // Keys with mixed flags and transferable amounts, from a stream of their own.
  void add_assets(SubAccount& s, int index);
  void add_recent(Invitee& inv, Quote q) const;
  void add_trades();

  uint64_t seed_;
  std::optional<Anchor> anchor_;
  std::vector<Invitee> usdt_, usdc_;
  std::vector<SubAccount> subs_;
  int64_t max_uid_ = 0;
  int added_batches_ = 0;
  std::map<std::pair<int32_t, int64_t>, int64_t> volumes_;
  int added_keys_ = 0;
};

// A sub-account's keys and transferable amounts as the dataset JSON shows them.
nlohmann::json assets_json(const SubAccount& s);

// splitmix64: tiny, well mixed, identical on every platform.
uint64_t next_random(uint64_t& state);
// Uniform-enough integer in [lo, hi] (modulo bias is irrelevant here).
int64_t random_between(uint64_t& state, int64_t lo, int64_t hi);

}  // namespace coinw::sim
