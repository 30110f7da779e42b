#pragma once
// What --api.check reports: per account, one finding per probe answer, each
// saying what CoinW showed, what the exporter does about it, and which setting
// to change in which direction. Nothing here may identify a person or a key:
// findings carry no uid, user code, nickname, amount, key or CoinW message.
#include <string>
#include <string_view>
#include <vector>

namespace coinw::check {

enum class Verdict {
  ok,      // as the exporter expects
  note,    // differs from the docs, and the exporter copes
  change,  // works, but a setting should change
  fail,    // a collector cannot work with this key or setup
  open,    // the check cannot answer this (it never provokes a refusal)
};
std::string_view to_string(Verdict v);

struct Finding {
  std::string probe;  // "invitee_assets.page_size"
  Verdict verdict = Verdict::ok;
  std::string seen;      // what CoinW answered
  std::string exporter;  // what the exporter will do about it
  std::string setting;   // which key to change, in which direction; empty: none
};

struct AccountReport {
  std::string account;
  int requests = 0;  // sent to CoinW
  std::vector<Finding> findings;
};

enum class Format { text, json };

// 0 when every enabled collector can work, 1 when one cannot.
int exit_code(const std::vector<AccountReport>& reports);
std::string render(const std::vector<AccountReport>& reports, Format format);

}  // namespace coinw::check
