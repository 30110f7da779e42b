#pragma once
// The probes of --api.check, one row each. A row names the collector it serves,
// how many requests it may send at most and the open question it answers
// (docs/coinw-api.md links back by the row's name). Rows run in order, one
// request at a time; a row reads what earlier rows found from the Session.
// A new endpoint's questions are new rows here: its `run` sends through the
// Session's client and hands what it saw to a pure decision in decide.h.
#include <array>
#include <optional>
#include <string_view>

#include "api/client.h"
#include "check/finding.h"
#include "check/recorder.h"
#include "config/config.h"

namespace coinw::check {

struct Session {
  const config::GlobalConfig& global;
  const config::AccountConfig& account;
  api::Client& client;
  Recorder& recorder;
  Clock& clock;
  Duration request_budget;  // per call: pacing, connect and read
  std::vector<Finding> findings;

  // What the rows share.
  std::optional<api::InviteePage> invitee_page;     // the access row's page, when it succeeded
  std::optional<api::SubAccountList> sub_accounts;  // the list, when it was answered
  std::optional<uint64_t> funds_uid;                // the sub-account whose funds were answered
  std::optional<api::ApiError> first_transport_error;

  TimePoint deadline() const { return clock.now() + request_budget; }
  const std::string& quote() const { return account.invitee_assets.quotes.front(); }
  void add(Finding f) { findings.push_back(std::move(f)); }
  // Notes the first transport failure for the connection row.
  void saw(const std::optional<api::ApiError>& e);
};

enum class Needs { invitee_assets, sub_accounts, api_keys, funds, registrations, trade_volume, any };

struct Probe {
  std::string_view name;
  Needs needs;
  int max_requests;
  std::string_view question;  // as docs/coinw-api.md words it
  void (*run)(Session&);
};

inline constexpr size_t kProbeCount = 16;
extern const std::array<Probe, kProbeCount> kProbes;
// The most requests the check sends for one account: the issue allows about 20.
int max_requests_per_account();

bool applies(const Probe& p, const config::AccountConfig& a);

}  // namespace coinw::check
