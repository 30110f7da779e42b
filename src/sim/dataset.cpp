#include "sim/dataset.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "common/timefmt.h"

namespace coinw::sim {
namespace {

constexpr int64_t kUnit = 100'000'000;  // 1e8 units per coin
constexpr int64_t kStart = 1672531200;  // 2023-01-01 00:00:00 UTC: fixed, so output is stable
constexpr int64_t kEnd = 1735689600;    // 2025-01-01 00:00:00 UTC
constexpr int64_t kDay = 86400;

// Independent streams per purpose, so adding sub-accounts does not reshuffle invitees.
constexpr uint64_t kUidStream = 0x75696473ULL;
constexpr uint64_t kUsdtStream = 0x75736474ULL;
constexpr uint64_t kUsdcStream = 0x75736463ULL;
constexpr uint64_t kSubStream = 0x73756273ULL;
// Recent movements: one stream per invitee, so they leave the older history, and
// each other, unchanged.
constexpr uint64_t kRecentStream = 0x72656365ULL;
constexpr int kRecentPercent = 25;  // of the invitees
// Trades: one stream per invitee; a share of them trade, each on some days.
constexpr uint64_t kTradeStream = 0x74726164ULL;
constexpr int kTraderPercent = 40, kTradingDayPercent = 30;

int64_t deposit_amount(uint64_t& rng) {
  static constexpr std::array<int64_t, 5> kRound = {100, 500, 1000, 2500, 15000};
  if (random_between(rng, 0, 3) == 0) return kRound[random_between(rng, 0, 4)] * kUnit;
  return random_between(rng, kUnit, 20000 * kUnit);
}

std::string random_code(uint64_t& rng, int len) {
  static constexpr char kChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string s;
  for (int i = 0; i < len; ++i) s += kChars[random_between(rng, 0, sizeof kChars - 2)];
  return s;
}

// Nicknames are personal data (e-mail, phone) or free text; the first few cover
// every escaping hazard a client or exporter has to survive.
std::string nick_name(uint64_t& rng, int index) {
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + random_between(rng, 0, 9));
    return s;
  };
  switch (index) {
    case 0: return "alice.trader+sub" + digits(2) + "@example.com";
    case 1: return "+86138" + digits(8);
    case 2: return "Desk \"Alpha\" \\ main";
    case 3: return "line one\nline two";
    case 4: return "\xF0\x9F\x9A\x80 moon bot \xF0\x9F\x8C\x95";
    case 5: return "<b>bold</b> & <script>alert(1)</script>";
    case 6: {
      std::string s = "long-" + digits(4) + "-";
      while (s.size() < 300) s += static_cast<char>('a' + s.size() % 26);
      return s;
    }
    case 7: return "bob" + digits(3) + "@example.org";
    case 8: return "138" + digits(8);
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "sub-%02d", index);
      return buf;
    }
  }
}

// [from, to] ranges, in epoch seconds, of the anchor's previous month, its
// month before its day, and its day up to the anchor; empty ones dropped.
std::vector<std::pair<int64_t, int64_t>> recent_periods(const Anchor& a) {
  using namespace std::chrono;
  const sys_days today = floor<days>(sys_seconds{seconds{a.now + a.offset_s}});
  const year_month_day ymd{today};
  auto epoch = [&](sys_days d) { return duration_cast<seconds>(d.time_since_epoch()).count() - a.offset_s; };
  const int64_t day = epoch(today), month = epoch(sys_days{ymd.year() / ymd.month() / 1}),
                previous = epoch(sys_days{ymd.year() / ymd.month() / 1 - months{1}});
  std::vector<std::pair<int64_t, int64_t>> out{{previous, month - 1}};
  if (month < day) out.emplace_back(month, day - 1);
  out.emplace_back(day, a.now);
  return out;
}

}  // namespace

uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int64_t random_between(uint64_t& state, int64_t lo, int64_t hi) {
  auto span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(next_random(state) % span);
}

std::optional<Quote> parse_quote(std::string_view text) {
  if (text == "usdt") return Quote::usdt;
  if (text == "usdc") return Quote::usdc;
  return std::nullopt;
}

const char* quote_name(Quote q) { return q == Quote::usdt ? "usdt" : "usdc"; }

std::string format_amount(int64_t units) {
  bool neg = units < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%08llu", neg ? "-" : "", static_cast<unsigned long long>(u / kUnit),
                static_cast<unsigned long long>(u % kUnit));
  return buf;
}

std::optional<int64_t> parse_amount(std::string_view text) {
  bool neg = !text.empty() && text[0] == '-';
  if (neg) text.remove_prefix(1);
  auto dot = text.find('.');
  auto whole = text.substr(0, dot);
  auto frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 10 || frac.size() > 8) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  int64_t f = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    f = f * 10 + (c - '0');
  }
  v = v * kUnit + f;
  return neg ? -v : v;
}

const Movement* Invitee::first_deposit() const {
  for (const auto& m : history)
    if (m.deposit) return &m;
  return nullptr;
}

void book_movement(Invitee& inv, const Movement& m) {
  // After any movement at the same second, so the history stays in booking order.
  auto at = std::upper_bound(inv.history.begin(), inv.history.end(), m.time,
                             [](int64_t t, const Movement& x) { return t < x.time; });
  inv.history.insert(at, m);
  inv.balance += m.deposit ? m.amount : -m.amount;
  inv.update_time = std::max(inv.update_time, m.time);
}

Totals totals(const Invitee& inv, std::optional<int64_t> from, std::optional<int64_t> to) {
  Totals t;
  for (const auto& m : inv.history) {
    if ((from && m.time < *from) || (to && m.time > *to)) continue;
    (m.deposit ? t.deposit : t.withdrawal) += m.amount;
  }
  return t;
}

Dataset::Dataset(uint64_t seed, int invitees_per_quote, int sub_accounts, std::optional<Anchor> anchor)
    : seed_(seed), anchor_(anchor) {
  uint64_t uid_rng = seed ^ kUidStream, usdt_rng = seed ^ kUsdtStream, usdc_rng = seed ^ kUsdcStream;
  // Both quotes list the same people; each quote has its own history.
  int64_t uid = 10'000'000 + random_between(uid_rng, 0, 999);
  for (int i = 0; i < invitees_per_quote; ++i) {
    usdt_.push_back(make_invitee(usdt_rng, uid, Quote::usdt));
    usdc_.push_back(make_invitee(usdc_rng, uid, Quote::usdc));
    max_uid_ = uid;
    uid += random_between(uid_rng, 1, 5000);
  }

  uint64_t rng = seed ^ kSubStream;
  int64_t spot_uid = 30'000'000 + random_between(rng, 0, 999);
  for (int i = 0; i < sub_accounts; ++i) {
    SubAccount s{spot_uid, random_code(rng, 10), nick_name(rng, i), false, true, true, {}, {}};
    // Fixed positions guarantee every flag state exists; the rest is random.
    s.frozen = i == 2 || (i > 4 && random_between(rng, 0, 9) == 0);
    s.spot_trade = !(i == 3 || (i > 4 && random_between(rng, 0, 9) == 0));
    s.contract_trade = !(i == 4 || (i > 4 && random_between(rng, 0, 9) == 0));
    add_assets(s, i);
    subs_.push_back(std::move(s));
    spot_uid += random_between(rng, 1, 3000);
  }
  add_trades();
}

Invitee Dataset::make_invitee(uint64_t& rng, int64_t uid, Quote q) const {
  Invitee inv{uid, random_between(rng, kStart, kStart + 540 * kDay), {}, 0, 0};
  inv.update_time = inv.registered;
  if (random_between(rng, 0, 99) < 15) {  // never deposited, unless recently
    add_recent(inv, q);
    return inv;
  }

  int64_t t = inv.registered + random_between(rng, 600, 5 * kDay);
  int64_t held = 0;
  int events = static_cast<int>(random_between(rng, 1, 6));
  for (int i = 0; i < events && t < kEnd; ++i) {
    bool withdraw = held > kUnit && random_between(rng, 0, 2) == 0;
    int64_t amount = withdraw ? held * random_between(rng, 10, 60) / 100 : deposit_amount(rng);
    inv.history.push_back({t, !withdraw, amount});
    held += withdraw ? -amount : amount;
    inv.update_time = t;
    t += random_between(rng, 3600, 40 * kDay);
  }
  // Trading moves the balance away from the net flow; sometimes it was all withdrawn.
  int pick = static_cast<int>(random_between(rng, 0, 9));
  inv.balance = pick == 0 ? 0 : pick == 1 ? held : held * random_between(rng, 40, 160) / 100;
  inv.update_time = std::min(kEnd, inv.update_time + random_between(rng, 0, 3 * kDay));
  add_recent(inv, q);
  return inv;
}

void Dataset::add_recent(Invitee& inv, Quote q) const {
  if (!anchor_) return;
  uint64_t rng = seed_ ^ kRecentStream ^ (q == Quote::usdt ? kUsdtStream : kUsdcStream) ^
                 (static_cast<uint64_t>(inv.uid) * 0x9E3779B97F4A7C15ULL);
  next_random(rng);
  if (random_between(rng, 0, 99) >= kRecentPercent) return;
  const auto periods = recent_periods(*anchor_);
  // A non-empty subset of the periods, one movement in each, in time order.
  const auto mask = random_between(rng, 1, (int64_t{1} << periods.size()) - 1);
  for (size_t i = 0; i < periods.size(); ++i) {
    if (!((mask >> i) & 1)) continue;
    const int64_t t = random_between(rng, periods[i].first, periods[i].second);
    const bool withdraw = inv.balance > kUnit && random_between(rng, 0, 2) == 0;
    const int64_t amount = withdraw ? inv.balance * random_between(rng, 10, 60) / 100 : deposit_amount(rng);
    book_movement(inv, {t, !withdraw, amount});
  }
}

void Dataset::add_trades() {
  if (!anchor_) return;
  const int32_t today = local_day(anchor_->now, anchor_->offset_s);
  const int32_t first = local_day(recent_periods(*anchor_).front().first, anchor_->offset_s);
  for (const auto& s : signups()) {
    uint64_t rng = seed_ ^ kTradeStream ^ (static_cast<uint64_t>(s.uid) * 0x9E3779B97F4A7C15ULL);
    next_random(rng);
    if (random_between(rng, 0, 99) >= kTraderPercent) continue;
    for (int32_t day = std::max(first, local_day(s.registered, anchor_->offset_s)); day <= today; ++day)
      if (random_between(rng, 0, 99) < kTradingDayPercent)
        volumes_[{day, s.uid}] = random_between(rng, 10 * kUnit, 200'000 * kUnit);
  }
}

std::vector<Dataset::Signup> Dataset::signups() const {
  std::vector<Signup> out;
  out.reserve(usdt_.size() + usdc_.size());
  for (const auto* list : {&usdt_, &usdc_})
    for (const auto& inv : *list) out.push_back({inv.uid, inv.registered});
  std::sort(out.begin(), out.end(), [](const Signup& a, const Signup& b) {
    return a.uid != b.uid ? a.uid < b.uid : a.registered < b.registered;
  });
  // The earlier registration of a uid sorts first.
  out.erase(std::unique(out.begin(), out.end(), [](const Signup& a, const Signup& b) { return a.uid == b.uid; }),
            out.end());
  return out;
}

int64_t Dataset::add_signup(int64_t at) {
  max_uid_ += 1;
  for (auto* list : {&usdt_, &usdc_}) list->push_back(Invitee{max_uid_, at, {}, 0, at});
  return max_uid_;
}

bool Dataset::book_trade(int64_t uid, int32_t day, int64_t units) {
  if (units <= 0 || (!find_invitee(Quote::usdt, uid) && !find_invitee(Quote::usdc, uid))) return false;
  volumes_[{day, uid}] += units;
  return true;
}

bool Dataset::add_movement(Quote q, int64_t uid, const Movement& m) {
  Invitee* inv = find_invitee(q, uid);
  if (inv) book_movement(*inv, m);
  return inv != nullptr;
}

Invitee* Dataset::find_invitee(Quote q, int64_t uid) {
  auto& list = q == Quote::usdt ? usdt_ : usdc_;
  auto it = std::lower_bound(list.begin(), list.end(), uid, [](const Invitee& a, int64_t u) { return a.uid < u; });
  return it != list.end() && it->uid == uid ? &*it : nullptr;
}

SubAccount* Dataset::find_sub_account(int64_t spot_uid) {
  for (auto& s : subs_)
    if (s.spot_uid == spot_uid) return &s;
  return nullptr;
}

void Dataset::add_invitees(Quote q, int n) {
  // A fresh stream per batch keeps a replayed sequence of admin calls deterministic.
  uint64_t rng = seed_ ^ (0xADD0000ULL + static_cast<uint64_t>(++added_batches_) * 7919);
  auto& list = q == Quote::usdt ? usdt_ : usdc_;
  for (int i = 0; i < n; ++i) {
    max_uid_ += random_between(rng, 1, 5000);
    list.push_back(make_invitee(rng, max_uid_, q));
  }
}

void Dataset::insert_lowest(Quote q, int n) {
  uint64_t rng = seed_ ^ (0x10E0000ULL + static_cast<uint64_t>(++added_batches_) * 7919);
  auto& list = q == Quote::usdt ? usdt_ : usdc_;
  for (int i = 0; i < n && (list.empty() || list.front().uid > 1); ++i)
    list.insert(list.begin(), make_invitee(rng, list.empty() ? max_uid_ + 1 : list.front().uid - 1, q));
  if (!list.empty()) max_uid_ = std::max(max_uid_, list.back().uid);
}

void Dataset::remove_lowest(Quote q, int n) {
  auto& list = q == Quote::usdt ? usdt_ : usdc_;
  list.erase(list.begin(), list.begin() + std::min<ptrdiff_t>(n, static_cast<ptrdiff_t>(list.size())));
}

nlohmann::json Dataset::to_json(int offset_s) const {
  using nlohmann::json;
  auto invitee_rows = [&](const std::vector<Invitee>& list) {
    json rows = json::array();
    for (const auto& inv : list) {
      auto all = totals(inv, std::nullopt, std::nullopt);
      const Movement* first = inv.first_deposit();
      json history = json::array();
      for (const auto& m : inv.history)
        history.push_back({{"time", format_coinw_time(m.time, offset_s)},
                           {"type", m.deposit ? "deposit" : "withdrawal"},
                           {"amount", format_amount(m.amount)}});
      rows.push_back({{"uid", inv.uid},
                      {"registered", format_coinw_time(inv.registered, offset_s)},
                      {"totalDeposit", format_amount(all.deposit)},
                      {"totalWithdrawal", format_amount(all.withdrawal)},
                      {"currentBalance", format_amount(inv.balance)},
                      {"firstDepositAmount", first ? json(format_amount(first->amount)) : json()},
                      {"firstDepositTime", first ? json(format_coinw_time(first->time, offset_s)) : json()},
                      {"updateTime", format_coinw_time(inv.update_time, offset_s)},
                      {"history", std::move(history)}});
    }
    return rows;
  };
  json subs = json::array();
  for (const auto& s : subs_) {
    json sub = {{"spotUid", s.spot_uid},
                {"userCode", s.user_code},
                {"nickName", s.nick_name},
                {"frozenFlag", s.frozen ? 1 : 0},
                {"spotTradeFlag", s.spot_trade ? 1 : 0},
                {"contractTradeFlag", s.contract_trade ? 1 : 0}};
    sub.update(assets_json(s));
    subs.push_back(std::move(sub));
  }
  return {{"seed", seed_},
          {"invitees", {{"usdt", invitee_rows(usdt_)}, {"usdc", invitee_rows(usdc_)}}},
          {"subAccounts", std::move(subs)}};
}

}  // namespace coinw::sim
