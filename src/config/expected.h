#pragma once
// sub_accounts.expected of an account. Internal to config.
#include <cstdint>
#include <map>

#include "config/config.h"
#include "config/walker.h"

namespace coinw::config::detail {

// {"<uid>": {frozen: bool, spot_trade: bool, contract_trade: bool,
// max_api_keys: int, read_only_api_keys: bool}}, every entry optional. Records every problem (a uid that is not a
// number, an unknown flag, a value that is not a boolean) with the walker and keeps the good entries.
void expected_sub_accounts(Walker& w, const Map& sub_accounts, std::map<uint64_t, ExpectedSubAccount>& out);

// sub_accounts.funds.coins: distinct coin codes (A-Z, 0-9, at most 16), as CoinW writes them.
void funds_coins(Walker& w, const Map& funds, std::vector<std::string>& out);

}  // namespace coinw::config::detail
