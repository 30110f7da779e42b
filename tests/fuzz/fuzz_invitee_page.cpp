// Invitee-assets (and the funnel's) responses come from the network: whatever bytes CoinW (or
// something in between) sends must yield a page or a classified error.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "api/parse.h"
#include "common/timefmt.h"
#include "fuzz_check.h"

namespace {

using coinw::fuzz::check;

// A few real statuses, weighted toward 200 where the row parser runs; the
// first input byte picks one, so the corpus can steer between them.
constexpr int kStatuses[16] = {200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 502, 503, 0, 302, 418, 999};
// The configurable range is +-14 h; 1 and -1 catch off-by-one arithmetic.
constexpr int kOffsets[8] = {0, 8 * 3600, -5 * 3600, 14 * 3600, -14 * 3600, 5 * 3600 + 1800, 1, -1};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const int status = kStatuses[data[0] & 15];
  const int offset = kOffsets[data[1] & 7];
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);

  (void)coinw::parse_coinw_time(body, offset);
  if (auto a = coinw::api::parse_amount(body)) check(std::isfinite(*a), "parse_amount returns finite values");

  (void)coinw::parse_coinw_date(body);
  // The funnel's pages share the envelope and the row reader (docs/coinw-api.md §6).
  if (auto reg = coinw::api::parse_registration_page(status, body, offset))
    check(reg.value().format.rows >= reg.value().rows.size() + reg.value().invalid_rows,
          "every sign-up is accounted for");
  if (auto vol = coinw::api::parse_volume_page(status, body, 20000, 20500)) {
    check(vol.value().format.rows >= vol.value().rows.size() + vol.value().invalid_rows,
          "every volume row is accounted for");
    for (const auto& row : vol.value().rows)
      check(std::isfinite(row.volume) && row.volume >= 0 && row.day >= 20000 && row.day <= 20500,
            "a volume is finite, not negative, of a day asked for");
  }

  auto r = coinw::api::parse_invitee_page(status, body, offset);
  if (!r) return 0;
  const auto& page = r.value();
  check(!page.total || *page.total >= 0, "total is a count");
  check(page.format.rows >= page.rows.size() + page.invalid_rows, "every row is accounted for");
  for (const auto& row : page.rows) {
    for (const auto& v : {row.total_deposit, row.total_withdrawal, row.current_balance, row.first_deposit_amount})
      check(!v || std::isfinite(*v), "row amounts are finite");
  }
  return 0;
}
