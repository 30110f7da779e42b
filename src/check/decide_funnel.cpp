// The decisions of the funnel probes: the sign-up list's range and the
// volume list's open day (docs/coinw-api.md §7).
#include <algorithm>

#include "check/decide.h"

namespace coinw::check {

using api::FailureReason;

std::optional<Finding> decide_list_range(const RangeProbe& p) {
  Finding f{"invitee_registrations.range", Verdict::ok, "", "", ""};
  const std::string whole =
      "the sign-up list over " + std::to_string(p.days) + " days (invitee_registrations.since to now)";
  if (!p.whole_error) {
    f.seen = whole + " was answered: the longest range CoinW accepts is at least that.";
    f.exporter = "walks every sign-up in one range; it would split a range month by month only if CoinW refused it.";
    return f;
  }
  if (p.whole_error->reason != FailureReason::bad_request || !p.month_asked) return std::nullopt;
  f.verdict = Verdict::open;
  const std::string refused = whole + " was refused with " + refusal_text(*p.whole_error);
  if (p.month_error) {
    f.seen = refused + ", and one month was refused too: not for its length (see invitee_registrations.access).";
    return f;
  }
  f.seen = refused +
           "; one month was answered. The longest range lies in between; finding it would take many "
           "requests.";
  f.exporter =
      "splits a refused range month by month (one warning in the log) and walks it that way from then on: "
      "about " +
      std::to_string(p.days / 30 + 1) + " requests or more for the first walk, a few afterwards.";
  f.setting =
      "set invitee_registrations.since to the month of your first invitee, if it is later, for a shorter "
      "first walk.";
  return f;
}

Finding decide_open_day(const std::vector<int32_t>& days, int32_t today) {
  Finding f{"invitee_trade_volume.today", Verdict::ok, "", "", ""};
  const std::string refresh =
      "fetches today again every invitee_trade_volume.open_day_refresh_interval and a "
      "closed day once for good, invitee_trade_volume.closed_day_grace after its end";
  const bool has_today = std::find(days.begin(), days.end(), today) != days.end();
  if (has_today) {
    f.seen =
        "the volume list for yesterday and today (global.time_zone) has rows dated today: CoinW reports the "
        "open day as it goes.";
    f.exporter = refresh + ".";
    return f;
  }
  f.verdict = Verdict::open;
  if (days.empty()) {
    f.seen =
        "the volume list for yesterday and today (global.time_zone) has no rows: no invitee traded, nothing "
        "to tell.";
    f.setting = "run the check again once invitees trade.";
    return f;
  }
  f.seen =
      "the volume list has rows for yesterday but none for today (global.time_zone): either CoinW reports a "
      "day only once it has closed, or no invitee has traded yet today, or CoinW's days run in a zone west "
      "of global.time_zone.";
  f.exporter = refresh + ": today's volume shows as soon as CoinW reports it, at the latest when the day closes.";
  f.setting = "run the check again late in the day, after an invitee has traded.";
  return f;
}

}  // namespace coinw::check
