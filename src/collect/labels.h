#pragma once
// Label values that come from CoinW: bounded in length (a hostile 1 MB nickname
// must not become a 1 MB label), cut on UTF-8 boundaries, and nickName masked,
// because it is an alias or the login e-mail or phone number: personal data.
#include <string>
#include <string_view>

#include "config/config.h"

namespace coinw::collect {

inline constexpr size_t kMaxLabelBytes = 128;

// At most `max_bytes`, never splitting a UTF-8 sequence.
std::string bounded(std::string_view value, size_t max_bytes = kMaxLabelBytes);

// masked: first character, "***", and for an e-mail the top-level domain
// ("j***@***.com"); full: bounded as is; none: empty (no label value).
std::string nick_name_label(std::string_view nick, config::NickNamePolicy policy);

}  // namespace coinw::collect
