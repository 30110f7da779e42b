#pragma once
// CoinW's text fields (nickName above all) may carry invalid UTF-8 or a lone
// UTF-16 surrogate escape (`\ud800`); a strict JSON parser rejects the whole
// body for either, and one bad nickname would hide every sub-account. So the
// body is repaired first: each invalid sequence becomes U+FFFD, and counted.
#include <cstddef>
#include <string>
#include <string_view>

namespace coinw::api {

struct TextRepair {
  std::string text;    // the repaired body; empty when nothing needed repair
  size_t repairs = 0;  // invalid UTF-8 sequences and lone surrogate escapes replaced
};

// Invalid UTF-8 anywhere (each maximal invalid subpart, as Unicode recommends)
// becomes the bytes of U+FFFD; a lone surrogate escape inside a JSON string
// becomes `\ufffd`. Everything else is left byte for byte, so valid JSON stays
// the same JSON and broken JSON stays broken.
TextRepair repair_json_text(std::string_view body);

}  // namespace coinw::api
