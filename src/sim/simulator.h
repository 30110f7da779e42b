#pragma once
// coinw-sim: an HTTP(S) server on loopback that answers like CoinW's affiliate
// invitee-asset endpoint (futures HMAC scheme) and its spot sub-account commands
// (MD5 scheme: the list, API keys, transferable funds), with strict rate limits,
// fault injection and admin endpoints for tests.
// All members are thread-safe; httplib runs handlers on a thread pool.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/dataset.h"
#include "sim/options.h"

namespace coinw::sim {

struct EndpointCounters {
  uint64_t requests = 0;    // every arrival, refused or not
  uint64_t violations = 0;  // arrivals over a real limit (injected storms excluded)
};

// Distinct names in Counters::spot_commands; later new names count under kOtherSpotCommands.
inline constexpr size_t kMaxSpotCommands = 64;
inline constexpr const char* kOtherSpotCommands = "(other)";

struct Counters {
  EndpointCounters invitee_assets, sub_account_list, invitee_list, invitee_volume, sub_account_apikey,
      sub_account_transfer_available;
  std::map<std::string, uint64_t> spot_commands;  // every spot request by its `command`, unknown ones too
  uint64_t bad_signatures = 0;
  uint64_t auth_failures = 0;  // wrong/missing key, bad or expired timestamp
  uint64_t rate_limited = 0;   // 29001 answers: violations plus injected storm answers
  uint64_t faults_injected = 0;
  std::map<std::string, uint64_t> faults_by_kind;
  std::map<std::string, uint64_t> peers;  // API requests by the address they came from
  uint64_t proxy_credentials = 0;         // API requests that carried a non-empty Proxy-Authorization
  nlohmann::json to_json() const;
};

// One API request as it arrived: which endpoint, when (ms since the start).
struct ArrivalRecord {
  std::string endpoint;
  int64_t at_ms = 0;
};

class Simulator {
 public:
  // Builds the dataset; throws std::invalid_argument on bad options.
  explicit Simulator(Options options);
  ~Simulator();  // stops
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Returns once listening; throws std::runtime_error on bind or TLS failure.
  void start();
  // Idempotent; wakes handlers sleeping in `slow` faults or delays.
  void stop();
  int port() const;
  std::string url() const;  // e.g. "https://127.0.0.1:8790"

  Counters counters() const;
  void reset_counters();  // and the arrivals
  // Every API request's arrival, oldest first (the latest 100,000 at most).
  std::vector<ArrivalRecord> arrivals() const;

  // Data mutators (also behind /admin/); false when the uid is unknown.
  bool freeze(int64_t spot_uid, bool frozen);
  bool set_trade(int64_t spot_uid, std::optional<bool> spot, std::optional<bool> contract);
  bool set_balance(Quote quote, int64_t uid, int64_t units);  // also moves updateTime to now
  // Books a deposit or withdrawal of `units` (> 0) at now(); returns its time, or
  // nothing when the uid is unknown.
  std::optional<int64_t> add_movement(Quote quote, int64_t uid, bool deposit, int64_t units);
  void add_invitees(Quote quote, int count);
  // The funnel: a sign-up at now() (a new invitee of both quotes, without
  // movements); its uid. A trade of `units` (> 0) today (the simulator's zone);
  // the day, or nothing when the uid is unknown.
  int64_t add_signup();
  std::optional<int32_t> book_trade(int64_t uid, int64_t units);
  // API keys: unset flags keep their value (new keys: read-only behind a whitelist).
  struct ApiKeyFlags {
    std::optional<bool> read_only, ip_whitelist, spot_trade, contract_trade;
  };
  // Returns the new key's public key, or nothing when the uid is unknown.
  std::optional<std::string> add_api_key(int64_t spot_uid, const ApiKeyFlags& flags, std::string remark);
  bool set_api_key_flags(std::string_view key, const ApiKeyFlags& flags);
  bool remove_api_key(std::string_view key);
  // What the sub-account can move out in `coin`, units of 1e-8.
  bool set_transferable(int64_t spot_uid, const std::string& coin, int64_t units);
  void set_faults(const Faults& faults);  // throws std::invalid_argument
  Faults faults() const;
  void set_drift(const Drift& drift);
  Drift drift() const;
  void set_sign_form(api::QueryForm form);
  api::QueryForm sign_form() const;
  // Endpoints answered 6003 (no permission), by name.
  void set_denied(std::vector<std::string> endpoints);
  std::vector<std::string> denied() const;
  void set_clock_skew(int seconds);
  int clock_skew() const;

  // The simulator's clock, epoch seconds: Options::now plus the time since
  // construction, or the real time when Options::now is 0.
  int64_t now() const;

  // Exact dataset values plus the settings needed to interpret them.
  nlohmann::json dataset_json() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace coinw::sim
