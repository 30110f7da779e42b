// The decisions of the sub-account key and funds probes (docs/coinw-api.md §8).
#include "check/decide.h"
#include "check/shape.h"

namespace coinw::check {

Finding decide_key_fields(const std::map<std::string, size_t>& flags, const std::map<std::string, size_t>& whitelist) {
  Finding f{"sub_accounts.api_keys.fields", Verdict::ok, "", "", ""};
  if (flags.empty()) {
    f.verdict = Verdict::open;
    f.seen = "no API key of a sub-account to look at.";
    f.exporter = "reads 0/1 flags as numbers, digit strings or booleans, and apiWhiteList as a list or a string.";
    f.setting = "run the check again once a sub-account has an API key.";
    return f;
  }
  f.seen = "readonlyFlag, apiWhiteListFlag, spotTradeFlag, contractTradeFlag: " + kinds_text(flags) +
           "; apiWhiteList: " + kinds_text(whitelist) + ".";
  f.exporter =
      "reads a flag of 0 or 1 as a number, a digit string or a boolean; any other value leaves that flag out for "
      "the key, counted in coinw_api_invalid_fields_total. It counts the bound addresses of a list or of one "
      "comma-separated string, and never keeps them.";
  // The docs show numbers for the flags and do not say how the addresses come.
  const bool documented = only_kinds(flags, {"number"}) && only_kinds(whitelist, {"array", "string", "null", "absent"});
  if (!documented) {
    f.verdict = Verdict::note;
    if (!only_kinds(flags, {"number", "\"9\"", "boolean"}))
      f.setting =
          "none can help: alerts on a key's flags are blind for the keys whose flags are left out; report "
          "this output.";
  }
  return f;
}

Finding decide_funds_access(const std::string& coin, const std::optional<api::ApiError>& error) {
  if (!error || error->reason != api::FailureReason::bad_request)
    return decide_access({"sub_accounts.funds.access", "the transferable funds of a listed sub-account",
                          "use a master account's API key (the sub-account list's)",
                          "sub_accounts.funds.coins: [] (the funds collector off)"},
                         error);
  return {"sub_accounts.funds.access", Verdict::change,
          "CoinW refused " + coin + " for a listed sub-account with " + refusal_text(*error) +
              ": the sub-account came from CoinW's own list, so the coin is the likely cause.",
          "asks every sub-account for " + coin +
              " on each refresh; each refusal is counted in "
              "coinw_api_failures_total{endpoint=\"sub_account_transfer_available\"} and skipped.",
          "check sub_accounts.funds.coins: CoinW's coin codes, in upper case (USDT, BTC)."};
}

Finding decide_unknown_coin(const std::optional<api::ApiError>& error, std::optional<double> amount) {
  Finding f{"sub_accounts.funds.unknown_coin", Verdict::ok, "", "", ""};
  if (error && error->reason == api::FailureReason::bad_request) {
    f.seen = "CoinW refused a coin that does not exist with " + refusal_text(*error) + ".";
    f.exporter =
        "a misspelt coin in sub_accounts.funds.coins is refused like it: counted in "
        "coinw_api_failures_total{endpoint=\"sub_account_transfer_available\"}, and shows no series.";
    return f;
  }
  if (error) {
    f.verdict = Verdict::open;
    f.seen = "asking for a coin that does not exist got " + refusal_text(*error) +
             ": whether CoinW tells an unknown coin from a known one is still unknown.";
    return f;
  }
  f.verdict = Verdict::note;
  f.seen = std::string("CoinW answered a coin that does not exist with ") +
           (amount && *amount == 0 ? "0" : "an amount") + ", as it would a misspelt one.";
  f.exporter = "a misspelt coin in sub_accounts.funds.coins shows 0 for every sub-account, not an error.";
  f.setting = "check the spelling of sub_accounts.funds.coins against CoinW's coin codes.";
  return f;
}

}  // namespace coinw::check
