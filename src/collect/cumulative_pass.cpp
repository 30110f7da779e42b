#include "collect/cumulative_pass.h"

#include <nlohmann/json.hpp>

#include "collect/invitee_series.h"
#include "collect/state_codec.h"
#include "exposition/catalogue.h"
#include "exposition/last_label.h"
#include "log/log.h"

namespace coinw::collect {
namespace {

using exposition::Labels;
using exposition::sample;
using nlohmann::json;
namespace metric = exposition::metric;

void log_pass_end(const std::string& account, const std::string& quote, const PassEnd& end, Duration took) {
  const std::string pages = std::to_string(end.pages), rows = std::to_string(end.rows),
                    seconds = std::to_string(std::chrono::duration<double>(took).count());
  if (end.verdict == ShrinkGuard::Verdict::hold) {
    log::warn("invitee pass not applied: under half the rows of the last one; waiting for a second pass",
              {{"account", account}, {"quote", quote}, {"pages", pages}, {"rows", rows}, {"seconds", seconds}});
    return;
  }
  log::info("invitee pass complete", {{"account", account},
                                      {"quote", quote},
                                      {"pages", pages},
                                      {"rows", rows},
                                      {"seconds", seconds},
                                      {"removed", std::to_string(end.removed)}});
}

// A row is an array, not an object: 100,000 of them must stay small and quick.
json row_json(const InviteeRow& r) {
  return json::array({r.uid, amount_json(r.total_deposit), amount_json(r.total_withdrawal),
                      amount_json(r.current_balance), amount_json(r.first_deposit_amount),
                      unix_json(r.first_deposit_time, kNoTime), unix_json(r.update_time, kNoTime)});
}

InviteeRow row_of(const json& a) {
  if (!a.is_array() || a.size() != 7) throw std::invalid_argument("an invitee row is not an array of 7");
  InviteeRow r;
  r.uid = uint_of(a[0]);
  r.total_deposit = amount_of(a[1]);
  r.total_withdrawal = amount_of(a[2]);
  r.current_balance = amount_of(a[3]);
  r.first_deposit_amount = amount_of(a[4]);
  r.first_deposit_time = unix_of(a[5], kNoTime);
  r.update_time = unix_of(a[6], kNoTime);
  return r;
}

json book_json(const BookState& book, const std::optional<WallTime>& complete) {
  json rows = json::array();
  for (const auto& r : book.rows) rows.push_back(row_json(r));
  json totals = nullptr;
  if (const auto& t = book.totals)
    totals = {{"invitees", t->invitees},
              {"deposits", t->deposits},
              {"withdrawals", t->withdrawals},
              {"balance", t->balance},
              {"depositors", t->depositors}};
  return {{"complete_at_ns", time_json(complete)},
          {"reported", book.reported ? json(*book.reported) : json(nullptr)},
          {"removed", book.removed},
          {"totals", std::move(totals)},
          {"rows", std::move(rows)}};
}

BookState book_of(const json& q) {
  BookState b;
  if (!q.at("reported").is_null()) b.reported = int_of(q["reported"]);
  b.removed = uint_of(q.at("removed"));
  if (const json& t = q.at("totals"); !t.is_null())
    b.totals =
        PassTotals{static_cast<size_t>(uint_of(t.at("invitees"))), t.at("deposits").get<double>(),
                   t.at("withdrawals").get<double>(), t.at("balance").get<double>(), t.at("depositors").get<double>()};
  const json& rows = q.at("rows");
  b.rows.reserve(rows.size());
  for (const auto& r : rows) b.rows.push_back(row_of(r));
  // The book relies on uid order; a file edited out of order is not trusted.
  for (size_t i = 1; i < b.rows.size(); ++i)
    if (b.rows[i - 1].uid >= b.rows[i].uid) throw std::invalid_argument("invitee rows not in uid order");
  return b;
}

}  // namespace

CumulativePass::CumulativePass(std::string account, std::string quote, int page_size, Duration min_interval)
    : InviteePass("cumulative", quote),
      account_(std::move(account)),
      book_(std::move(quote), page_size),
      min_interval_(min_interval) {}

std::optional<Want> CumulativePass::wants(const Now& now) const {
  if (book_.pass_in_progress()) return Want{Priority::cumulative, false};
  std::lock_guard lock(mu_);
  if (due_from_ && now.steady - *due_from_ < min_interval_) return std::nullopt;
  return Want{Priority::cumulative, true};
}

api::InviteeQuery CumulativePass::take(const Now& now) {
  if (!book_.pass_in_progress()) {
    book_.start_pass();
    started_ = now.steady;
    log::info("invitee pass started", {{"account", account_}, {"quote", quote()}});
  }
  return book_.next_query();
}

bool CumulativePass::apply(const api::InviteeQuery&, const api::InviteePage& page, const Now& now) {
  const auto end = book_.apply(page, now.steady, min_interval_);
  if (!end) return false;
  log_pass_end(account_, quote(), *end, now.steady - started_);
  std::lock_guard lock(mu_);
  due_from_ = started_;
  completed_wall_ = now.wall;
  completed_at(now.wall);
  return true;
}

std::optional<WallTime> CumulativePass::completed_wall() const {
  std::lock_guard lock(mu_);
  return completed_wall_;
}

bool CumulativePass::drop_stale() {
  const bool had = book_.size() > 0;
  book_.clear();
  // The next scrape starts a pass at once.
  std::lock_guard lock(mu_);
  due_from_.reset();
  completed_wall_.reset();
  return had;
}

void CumulativePass::collect(exposition::FamilySet& out, const InviteeRender& r) const {
  if (!r.fresh) return;
  using exposition::Family;
  Family& deposit = exposition::family(out, metric::invitee_total_deposit);
  Family& withdrawal = exposition::family(out, metric::invitee_total_withdrawal);
  Family& balance = exposition::family(out, metric::invitee_current_balance);
  Family& first_amount = exposition::family(out, metric::invitee_first_deposit_amount);
  Family& first_time = exposition::family(out, metric::invitee_first_deposit_timestamp);
  Family& updated = exposition::family(out, metric::invitee_balance_update_timestamp);
  const Labels quote = exposition::with(r.account, "quote", this->quote());
  const bool by_balance = r.config.top_by == config::TopBy::current_balance;
  const auto uids = select_uids(
      book_, [by_balance](const InviteeRow& row) { return by_balance ? row.current_balance : row.total_deposit; },
      r.config);
  exposition::LastLabel uid_labels(quote, "uid");
  book_.for_each([&](const InviteeRow& row) {
    if (!selected(uids, row.uid)) return;
    const std::string_view labels = uid_labels.with(row.uid);
    auto sample_of = [&](Family& f, double v) {
      if (!std::isnan(v)) f.sample(labels, v);
    };
    sample_of(deposit, row.total_deposit);
    sample_of(withdrawal, row.total_withdrawal);
    sample_of(balance, row.current_balance);
    sample_of(first_amount, row.first_deposit_amount);
    if (row.first_deposit_time != kNoTime) first_time.sample(labels, static_cast<double>(row.first_deposit_time));
    if (row.update_time != kNoTime) updated.sample(labels, static_cast<double>(row.update_time));
  });
  if (auto total = book_.total()) sample(out, metric::invitees_reported, quote, static_cast<double>(*total));
  if (auto progress = book_.progress()) sample(out, metric::invitee_refresh_progress, quote, *progress);
  sample(out, metric::invitees_removed, quote, static_cast<double>(book_.removed()));
  // The sums of the last complete pass, also while a new one runs: never of a half-walked list.
  const auto t = book_.totals();
  if (!t) return;
  sample(out, metric::invitees, quote, static_cast<double>(t->invitees));
  sample(out, metric::invitees_deposits, quote, t->deposits);
  sample(out, metric::invitees_withdrawals, quote, t->withdrawals);
  sample(out, metric::invitees_balance, quote, t->balance);
  sample(out, metric::invitees_depositors, quote, t->depositors);
}

StateSlice CumulativePass::snapshot() const {
  return [book = book_.state(), complete = completed_wall(), quote = quote()](json& file) {
    file["invitees"]["quotes"][quote] = book_json(book, complete);
  };
}

bool CumulativePass::restore(const json& file, const RestoreContext& r, bool fresh) {
  if (!fresh) return false;
  const auto quotes = file.find("invitees");
  if (quotes == file.end() || !quotes->at("quotes").contains(quote())) return false;  // a quote added since
  const json& q = quotes->at("quotes").at(quote());
  BookState book = book_of(q);
  const auto complete = time_of(q, "complete_at_ns");
  book_.restore(std::move(book));
  if (!complete) return true;
  std::lock_guard lock(mu_);
  due_from_ = r.steady(*complete);  // the file keeps when it ended: the later, the safer
  completed_wall_ = complete;
  completed_at(*complete);
  return true;
}

}  // namespace coinw::collect
