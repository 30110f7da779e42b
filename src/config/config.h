#pragma once
// The exporter's YAML configuration, loaded, expanded and validated in one pass.
// Structs are plain values: a reload compares old and new AccountConfig to keep
// the cached data of accounts that did not change. A leaf: it knows nothing of
// the client; collect/client_settings.h maps it to the client's options.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/base_url.h"
#include "common/coinw_facts.h"
#include "common/proxy.h"
#include "config/values.h"

namespace coinw::config {

using std::chrono::milliseconds;

enum class NickNamePolicy { masked, full, none };
std::string_view to_string(NickNamePolicy p);

struct HttpConfig {
  milliseconds connect_timeout{5000};
  milliseconds read_timeout{10000};
  std::string ca_file;  // empty: the system CA store
  // For accounts without a proxy_url of their own. Without proxy_url here, the
  // environment's HTTPS_PROXY/HTTP_PROXY when proxy_from_environment.
  std::optional<Proxy> proxy;
  std::string no_proxy;  // as NO_PROXY
  bool proxy_from_environment = true;
  bool operator==(const HttpConfig&) const = default;
};

struct RateLimitConfig {
  int invitee_assets_per_second = facts::kInviteeAssetsPerSecond;
  int futures_ip_per_second = 0;  // undocumented, so off
  int sub_account_list_per_second = facts::kSubAccountListPerSecond;
  int spot_ip_per_second = facts::kSpotIpPerSecond;
  int spot_user_per_second = facts::kSpotUserPerSecond;
  milliseconds safety_margin{20};
  milliseconds pause_after_rate_limit = facts::kRateLimitBan;
  bool operator==(const RateLimitConfig&) const = default;
};

struct GlobalConfig {
  milliseconds scrape_timeout_offset{500};
  milliseconds default_scrape_timeout{10000};
  milliseconds staleness_limit{15 * 60 * 1000};
  NickNamePolicy nick_name = NickNamePolicy::masked;
  int time_zone_offset_seconds = 0;  // east of UTC
  HttpConfig http;
  RateLimitConfig rate_limits;
  std::string state_dir;  // where the cache survives restarts; empty: off
  bool operator==(const GlobalConfig&) const = default;
};

// Which invitees get per-uid series; the per-quote aggregates are always exported.
enum class PerInviteeSeries { all, top, none };
enum class TopBy { current_balance, total_deposit };

// A period that limits totalDeposit/totalWithdrawal (startTime/endTime).
// Calendar kinds move with the clock, in global.time_zone; `fixed` does not.
enum class WindowKind { today, yesterday, week, month, previous_month, fixed };

struct WindowConfig {
  std::string name;  // the window label: the kind's word, or the fixed window's name
  WindowKind kind = WindowKind::fixed;
  int64_t start = 0, end = 0;  // fixed only: unix seconds, both included
  bool operator==(const WindowConfig&) const = default;
};

// Invitees fetched one by one (uid=) between full passes.
struct WatchConfig {
  std::vector<uint64_t> uids;
  milliseconds min_refresh_interval{15000};
  bool operator==(const WatchConfig&) const = default;
};

struct InviteeAssetsConfig {
  bool enabled = true;
  std::vector<std::string> quotes{"usdt"};
  int page_size = 100;
  milliseconds min_refresh_interval{60000};
  PerInviteeSeries per_invitee_series = PerInviteeSeries::all;
  int top_k = 100;  // with PerInviteeSeries::top
  TopBy top_by = TopBy::current_balance;
  std::vector<WindowConfig> windows;
  milliseconds window_refresh_interval{5 * 60 * 1000};  // of an open window
  milliseconds closed_window_grace{60 * 60 * 1000};     // after its end, before the one fetch for good
  WatchConfig watch;
  bool operator==(const InviteeAssetsConfig&) const = default;
};

// The affiliate funnel (docs/coinw-api.md §6), off by default. Its periods are
// invitee_assets.windows: one definition per account for every periodic figure.
struct RegistrationsConfig {
  bool enabled = false;
  // The first day (in global.time_zone) of the one full walk: CoinW's default
  // range is the current month, never "everyone". 2017-01-01: CoinW's founding.
  int32_t since_day = 17167;  // days since 1970-01-01
  int page_size = facts::kFunnelMaxPageSize;
  milliseconds min_refresh_interval{10 * 60 * 1000};
  bool operator==(const RegistrationsConfig&) const = default;
};

struct TradeVolumeConfig {
  bool enabled = false;
  int page_size = facts::kFunnelMaxPageSize;
  milliseconds open_day_refresh_interval{5 * 60 * 1000};
  milliseconds closed_day_grace{60 * 60 * 1000};  // after a day ends, before its one fetch for good
  bool operator==(const TradeVolumeConfig&) const = default;
};

// The state the operator means a sub-account to have; an absent flag is not watched.
struct ExpectedSubAccount {
  std::optional<bool> frozen, spot_trade, contract_trade;
  // Its API keys (sub_accounts.api_keys): at most this many, and only read-only ones.
  std::optional<int> max_api_keys;
  std::optional<bool> read_only_api_keys;
  bool operator==(const ExpectedSubAccount&) const = default;
};

// The sub-accounts' API keys (subAccount_apikey): one request per refresh.
struct SubAccountKeysConfig {
  bool enabled = true;
  milliseconds min_refresh_interval{5 * 60 * 1000};
  bool operator==(const SubAccountKeysConfig&) const = default;
};

// What each sub-account can move out, per coin (subAccount_transferAvailable):
// one request per sub-account and coin, so off until coins are named.
struct SubAccountFundsConfig {
  std::vector<std::string> coins;  // upper case, e.g. USDT
  milliseconds min_refresh_interval{15 * 60 * 1000};
  bool operator==(const SubAccountFundsConfig&) const = default;
};

struct SubAccountsConfig {
  bool enabled = true;
  milliseconds min_refresh_interval{30000};
  std::map<uint64_t, ExpectedSubAccount> expected;  // by uid
  SubAccountKeysConfig api_keys;
  SubAccountFundsConfig funds;
  bool operator==(const SubAccountsConfig&) const = default;
};

struct AccountConfig {
  std::string name;
  std::string user;  // accounts with the same user share CoinW's per-user limits; empty: the key's own
  BaseUrl base_url = facts::kDefaultBaseUrl;
  std::string api_key;  // the secret values themselves, already read from *_file
  std::string secret_key;
  std::string ca_file;     // effective: the account's, else global.http.ca_file
  Proxy proxy;             // effective, no_proxy applied; disabled: direct
  std::string proxy_from;  // which key or environment variable chose it, or why there is none
  InviteeAssetsConfig invitee_assets;
  SubAccountsConfig sub_accounts;
  RegistrationsConfig invitee_registrations;
  TradeVolumeConfig invitee_trade_volume;
  bool operator==(const AccountConfig&) const = default;
};

struct Config {
  GlobalConfig global;
  std::vector<AccountConfig> accounts;
  bool operator==(const Config&) const = default;
};

// Every problem found, each "file:line: key.path: reason"; what() joins them
// one per line. No problem text ever contains a secret.
struct ConfigError : std::runtime_error {
  explicit ConfigError(std::vector<std::string> problems);
  std::vector<std::string> problems;
};

// Warnings use the same "file:line: key.path: reason" format as errors.
struct Loaded {
  Config config;
  std::vector<std::string> warnings;
};

// `source_name` is the file's path: it prefixes every message, and relative
// *_file / ca_file paths are resolved against its directory. Only *_file and
// ca_file touch the file system. Throws ConfigError.
Loaded parse_config(std::string_view yaml_text, const std::string& source_name, const EnvLookup& env);
// Reads `path` and expands ${VAR} from the process environment.
Loaded load_config_file(const std::string& path);

// A few secret-free lines for --config.check.
std::string describe(const Config& c);

}  // namespace coinw::config
