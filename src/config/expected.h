#pragma once
// sub_accounts.expected of an account. Internal to config.
#include <cstdint>
#include <map>

#include "config/config.h"
#include "config/walker.h"

namespace coinw::config::detail {

// {"<uid>": {frozen: bool, spot_trade: bool, contract_trade: bool}}, every flag
// optional. Records every problem (a uid that is not a number, an unknown flag,
// a value that is not a boolean) with the walker and keeps the good entries.
void expected_sub_accounts(Walker& w, const Map& sub_accounts, std::map<uint64_t, ExpectedSubAccount>& out);

}  // namespace coinw::config::detail
