// The decisions of the invitee-assets probes: page size, signature form and
// windowed rows (docs/coinw-api.md §7).
#include "check/decide.h"
#include "common/coinw_facts.h"

namespace coinw::check {

using api::FailureReason;

Finding decide_page_size(int configured, const PageProbe& p) {
  const int large = facts::kLargestDocumentedPageSize;
  Finding f{"invitee_assets.page_size", Verdict::ok, "", "", ""};
  const std::string asked = "asked for pageSize=" + std::to_string(large);
  const std::string keep = "invitee_assets.page_size (" + std::to_string(configured) + ")";
  if (p.large_error) {
    if (p.large_error->reason != FailureReason::bad_request || !p.configured_asked) {
      f.verdict = p.large_error->reason == FailureReason::rate_limited ? Verdict::open : Verdict::fail;
      f.seen = asked + ": " + refusal_text(*p.large_error) + "; the page cap is unknown.";
      f.exporter = "asks for " + keep + " and follows the rows it gets.";
      return f;
    }
    if (p.configured_error) {
      f.verdict = Verdict::fail;
      f.seen = asked + ": refused with " + refusal_text(*p.large_error) + "; pageSize=" + std::to_string(configured) +
               ": refused with " + refusal_text(*p.configured_error) + ".";
      f.exporter = "every invitee request asks for pageSize=" + std::to_string(configured) + " and is refused.";
      f.setting = "lower invitee_assets.page_size (100 is the smaller documented maximum).";
      return f;
    }
    f.verdict = Verdict::note;
    f.seen = asked + ": refused with " + refusal_text(*p.large_error) +
             " (CoinW refuses a size over its cap "
             "instead of capping it); pageSize=" +
             std::to_string(configured) + ": accepted.";
    f.exporter = "asks for " + keep + ", which CoinW accepts.";
    f.setting = "raise invitee_assets.page_size only after running this check again with the new value.";
    return f;
  }
  const auto rows = static_cast<int64_t>(p.large_rows);
  const int64_t total = p.total.value_or(0);
  if (rows >= large) {
    f.seen = asked + ": a full page of " + std::to_string(large) + " rows; the cap is at least that.";
    f.exporter = "asks for " + keep + ".";
    f.setting = configured < large ? "raise invitee_assets.page_size (up to " + std::to_string(large) +
                                         ") for fewer requests per pass, if passes take long."
                                   : "";
    return f;
  }
  if (total <= rows) {
    f.seen = asked + ": every invitee fit on one page (data.total " + (total == rows ? "matches" : "is below") +
             " the rows), so the cap is not reached: it is unknown, and at least this page's size.";
    f.exporter = "asks for " + keep + "; the pager detects a cap from a short first page on its own.";
    return f;
  }
  f.seen = asked + ": " + std::to_string(rows) + " rows while data.total says more: CoinW caps a page at " +
           std::to_string(rows) + ".";
  if (rows == configured) {
    f.exporter = "asks for " + keep + ", exactly the cap.";
  } else if (rows < configured) {
    f.verdict = Verdict::change;
    f.exporter = "asks for " + keep + " and gets " + std::to_string(rows) +
                 ": the pager treats the short first page as the cap, so passes stay complete.";
    f.setting =
        "lower invitee_assets.page_size to " + std::to_string(rows) + " so that what is asked is what is served.";
  } else {
    f.verdict = Verdict::change;
    f.exporter = "asks for " + keep + ": more requests per pass than needed.";
    f.setting = "raise invitee_assets.page_size to " + std::to_string(rows) + " (the cap) for fewer requests per pass.";
  }
  return f;
}

Finding decide_signature(const SignProbe& p, bool windows_configured) {
  Finding f{"invitee_assets.signature", Verdict::ok, "", "", ""};
  if (!p.error) {
    if (p.fallback) {
      f.verdict = Verdict::note;
      f.seen =
          "a windowed request signed over the raw values was refused (6001); the same request signed over "
          "the percent-encoded query was accepted.";
      f.exporter =
          "signs windowed requests the encoded way after its first refusal per account (one warning in "
          "the log, coinw_api_signature_fallbacks_total 1); nothing is lost.";
    } else {
      f.seen = "a windowed request signed over the raw values (CoinW's sample) was accepted.";
      f.exporter = "signs that way.";
    }
    return f;
  }
  const auto& e = *p.error;
  f.verdict = windows_configured ? Verdict::fail : Verdict::note;
  f.setting = windows_configured ? "remove invitee_assets.windows for this account until this is understood; "
                                   "report this output."
                                 : "";
  if (e.reason == FailureReason::rate_limited) {
    f.verdict = Verdict::open;
    f.seen = "the windowed request got " + refusal_text(e) + ": the signature form is unknown.";
    f.exporter = kPaused;
    f.setting = "run the check again in a minute.";
  } else if (e.code == facts::code::kBadSign) {
    f.seen =
        "a windowed request was refused with 6001 (bad signature) in both forms (raw values and encoded "
        "query), " +
        std::to_string(p.sent) + " request(s), while unwindowed requests pass.";
    f.exporter = "window passes fail on every refresh; cumulative totals are unaffected.";
  } else {
    f.seen = "a windowed request was refused with " + refusal_text(e) + ".";
    f.exporter = "window passes fail on every refresh; cumulative totals are unaffected.";
  }
  return f;
}

Finding decide_window_rows(std::optional<int64_t> total_all, std::optional<int64_t> total_window,
                           bool windows_configured) {
  Finding f{"invitee_assets.window_rows", Verdict::ok, "", "", ""};
  if (!total_all || !total_window) {
    f.verdict = Verdict::open;
    f.seen = "data.total was missing from an answer: cannot compare.";
    return f;
  }
  if (*total_all == 0) {
    f.verdict = Verdict::open;
    f.seen = "the account has no invitees yet: a window cannot list fewer; run the check again once it has some.";
    return f;
  }
  if (*total_window == *total_all) {
    f.seen =
        "data.total with a window of one minute equals data.total without one: windowed answers list "
        "every invitee (zeros for those without movements).";
    f.exporter = "a window pass walks as many pages as a cumulative pass.";
    if (windows_configured)
      f.setting = "with many invitees, keep invitee_assets.windows few, or raise window_refresh_interval.";
  } else if (*total_window < *total_all) {
    f.verdict = Verdict::note;
    f.seen =
        "data.total with a window of one minute is below data.total without one: windowed answers list "
        "only invitees with movements in the window.";
    f.exporter =
        "window sums stay right; per-invitee window series exist only for invitees active in the "
        "window, and window passes are short.";
  } else {
    f.verdict = Verdict::note;
    f.seen =
        "data.total with a window of one minute is above data.total without one: data.total is not a "
        "reliable count.";
    f.exporter = "treats data.total as a hint only; full pages always ask for the next one.";
  }
  return f;
}

}  // namespace coinw::check
