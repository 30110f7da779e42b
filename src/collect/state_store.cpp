#include "collect/state_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "log/log.h"

namespace coinw::collect {
namespace {

using nlohmann::json;
constexpr const char* kFormat = "coinw-exporter-state";

json time_json(const std::optional<WallTime>& t) {
  if (!t) return nullptr;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t->time_since_epoch()).count();
}

std::optional<WallTime> time_of(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(it->get<int64_t>())));
}

json amount_json(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
double amount_of(const json& v) { return v.is_null() ? kNoAmount : v.get<double>(); }
json unix_json(int64_t v) { return v == kNoTime ? json(nullptr) : json(v); }
int64_t unix_of(const json& v) { return v.is_null() ? kNoTime : v.get<int64_t>(); }

// A row is an array, not an object: 100,000 of them must stay small and quick.
json row_json(const InviteeRow& r) {
  return json::array({r.uid, amount_json(r.total_deposit), amount_json(r.total_withdrawal),
                      amount_json(r.current_balance), amount_json(r.first_deposit_amount),
                      unix_json(r.first_deposit_time), unix_json(r.update_time)});
}

InviteeRow row_of(const json& a) {
  if (!a.is_array() || a.size() != 7) throw std::invalid_argument("an invitee row is not an array of 7");
  InviteeRow r;
  r.uid = a[0].get<uint64_t>();
  r.total_deposit = amount_of(a[1]);
  r.total_withdrawal = amount_of(a[2]);
  r.current_balance = amount_of(a[3]);
  r.first_deposit_amount = amount_of(a[4]);
  r.first_deposit_time = unix_of(a[5]);
  r.update_time = unix_of(a[6]);
  return r;
}

json windows_json(const std::vector<WindowState>& windows) {
  json out = json::array();
  for (const auto& w : windows) {
    json rows = json::array();
    for (const auto& r : w.rows) rows.push_back(json::array({r.uid, amount_json(r.deposit), amount_json(r.withdrawal)}));
    out.push_back({{"window", w.window},
                   {"quote", w.quote},
                   {"start", w.period.start},
                   {"end", w.period.end},
                   {"final", w.final},
                   {"complete_at_ns", time_json(w.complete)},
                   {"totals", {{"deposits", w.totals.deposits}, {"withdrawals", w.totals.withdrawals},
                               {"depositors", w.totals.depositors}}},
                   {"rows", std::move(rows)}});
  }
  return out;
}

// Files written before windows existed have none.
std::vector<WindowState> windows_of(const json& j) {
  std::vector<WindowState> out;
  auto it = j.find("windows");
  if (it == j.end()) return out;
  for (const auto& w : *it) {
    WindowState s;
    s.window = w.at("window").get<std::string>();
    s.quote = w.at("quote").get<std::string>();
    s.period = Period{w.at("start").get<int64_t>(), w.at("end").get<int64_t>()};
    s.final = w.at("final").get<bool>();
    s.complete = time_of(w, "complete_at_ns").value();
    const json& t = w.at("totals");
    s.totals = WindowTotals{t.at("deposits").get<double>(), t.at("withdrawals").get<double>(),
                            t.at("depositors").get<double>()};
    for (const auto& r : w.at("rows")) {
      if (!r.is_array() || r.size() != 3) throw std::invalid_argument("a window row is not an array of 3");
      const uint64_t uid = r[0].get<uint64_t>();
      if (!s.rows.empty() && s.rows.back().uid >= uid) throw std::invalid_argument("window rows not in uid order");
      s.rows.push_back(WindowRow{uid, amount_of(r[1]), amount_of(r[2]), 0});
    }
    out.push_back(std::move(s));
  }
  return out;
}

json flag_json(bool value, bool known) { return known ? json(value ? 1 : 0) : json(nullptr); }

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string encode_state(const AccountState& s, WallTime written) {
  json subs = json::array();
  for (const auto& sub : s.sub_accounts)
    subs.push_back({{"uid", sub.uid},
                    {"user_code", sub.user_code},
                    {"nick_name", sub.nick_name},
                    {"frozen", sub.frozen ? 1 : 0},
                    {"spot_trade", flag_json(sub.spot_trade_enabled, sub.spot_trade_known)},
                    {"contract_trade", flag_json(sub.contract_trade_enabled, sub.contract_trade_known)}});
  json quotes = json::object();
  for (const auto& q : s.quotes) {
    json rows = json::array();
    for (const auto& r : q.book.rows) rows.push_back(row_json(r));
    json totals = nullptr;
    if (const auto& t = q.book.totals)
      totals = {{"invitees", t->invitees},       {"deposits", t->deposits}, {"withdrawals", t->withdrawals},
                {"balance", t->balance},         {"depositors", t->depositors}};
    quotes[q.quote] = {{"complete_at_ns", time_json(q.complete)},
                       {"reported", q.book.reported ? json(*q.book.reported) : json(nullptr)},
                       {"removed", q.book.removed},
                       {"totals", std::move(totals)},
                       {"rows", std::move(rows)}};
  }
  json j = {{"format", kFormat},
            {"version", kStateVersion},
            {"account", s.account},
            {"written_at_ns", time_json(written)},
            {"sub_accounts", {{"fetched_at_ns", time_json(s.sub_accounts_fetched)}, {"rows", std::move(subs)}}},
            {"invitees", {{"fetched_at_ns", time_json(s.invitees_fetched)}, {"quotes", std::move(quotes)}}},
            {"windows", windows_json(s.windows)}};
  return j.dump();
}

std::optional<AccountState> decode_state(std::string_view text, std::string& error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    error = text.empty() ? "empty file" : "not JSON (truncated or corrupt)";
    return std::nullopt;
  }
  if (j.value("format", "") != kFormat) {
    error = "not a coinw-exporter state file";
    return std::nullopt;
  }
  if (!j.contains("version") || j["version"] != kStateVersion) {
    error = "state format version " + j.value("version", json()).dump() + ", this exporter reads version " +
            std::to_string(kStateVersion);
    return std::nullopt;
  }
  try {
    AccountState s;
    s.account = j.at("account").get<std::string>();
    const json& subs = j.at("sub_accounts");
    s.sub_accounts_fetched = time_of(subs, "fetched_at_ns");
    for (const auto& r : subs.at("rows")) {
      api::SubAccount sub;
      sub.uid = r.at("uid").get<uint64_t>();
      sub.user_code = r.at("user_code").get<std::string>();
      sub.nick_name = r.at("nick_name").get<std::string>();
      sub.frozen = r.at("frozen").get<int>() != 0;
      sub.spot_trade_known = !r.at("spot_trade").is_null();
      sub.spot_trade_enabled = sub.spot_trade_known && r["spot_trade"].get<int>() == 1;
      sub.contract_trade_known = !r.at("contract_trade").is_null();
      sub.contract_trade_enabled = sub.contract_trade_known && r["contract_trade"].get<int>() == 1;
      s.sub_accounts.push_back(std::move(sub));
    }
    const json& inv = j.at("invitees");
    s.invitees_fetched = time_of(inv, "fetched_at_ns");
    for (const auto& [quote, q] : inv.at("quotes").items()) {
      QuoteState qs;
      qs.quote = quote;
      qs.complete = time_of(q, "complete_at_ns");
      if (!q.at("reported").is_null()) qs.book.reported = q["reported"].get<int64_t>();
      qs.book.removed = q.at("removed").get<uint64_t>();
      if (const json& t = q.at("totals"); !t.is_null())
        qs.book.totals = PassTotals{t.at("invitees").get<size_t>(), t.at("deposits").get<double>(),
                               t.at("withdrawals").get<double>(), t.at("balance").get<double>(),
                               t.at("depositors").get<double>()};
      const json& rows = q.at("rows");
      auto& out = qs.book.rows;
      out.reserve(rows.size());
      for (const auto& r : rows) out.push_back(row_of(r));
      // The book relies on uid order; a file edited out of order is not trusted.
      for (size_t i = 1; i < out.size(); ++i)
        if (out[i - 1].uid >= out[i].uid) throw std::invalid_argument("invitee rows not in uid order");
      s.quotes.push_back(std::move(qs));
    }
    s.windows = windows_of(j);
    return s;
  } catch (const std::exception& e) {
    error = std::string("unexpected content: ") + e.what();
    return std::nullopt;
  }
}

StateStore::StateStore(std::filesystem::path dir) : dir_(std::move(dir)), writer_([this] { run(); }) {}

StateStore::~StateStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

std::filesystem::path StateStore::path_for(const std::string& account) const {
  return dir_ / ("account-" + account + ".json");
}

void StateStore::save(AccountState state) {
  {
    std::lock_guard lock(mu_);
    const std::string name = state.account;
    queued_.insert_or_assign(name, std::move(state));
  }
  wake_.notify_all();
}

void StateStore::flush() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return queued_.empty() && !busy_; });
}

void StateStore::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (queued_.empty() && stopping_) return;
    auto node = queued_.extract(queued_.begin());
    busy_ = true;
    lock.unlock();
    write(node.mapped());
    lock.lock();
    busy_ = false;
    if (queued_.empty()) idle_.notify_all();
  }
}

bool StateStore::write(const AccountState& state) const {
  const auto path = path_for(state.account);
  const auto tmp = path.string() + ".tmp";
  const auto start = std::chrono::steady_clock::now();
  const std::string text = encode_state(state, std::chrono::system_clock::now());
  auto fail = [&](const char* what) {
    log::warn("cannot write state file", {{"file", path.string()}, {"err", std::string(what) + ": " + std::strerror(errno)}});
    ::unlink(tmp.c_str());
    return false;
  };
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail("open");
  // fchmod: an older temp file may have had other bits.
  const bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  if (::close(fd) != 0 || !ok) return fail("write");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename");
  // The rename itself is durable only once the directory is synced.
  int dir = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  log::debug("state written",
             {{"file", path.string()},
              {"bytes", std::to_string(text.size())},
              {"seconds", std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())}});
  return true;
}

std::optional<AccountState> StateStore::load(const std::string& account) const {
  const auto path = path_for(account);
  std::ifstream in(path, std::ios::binary);
  std::string error;
  std::optional<AccountState> state;
  if (!in) {
    error = "missing or unreadable";
  } else {
    std::stringstream text;
    text << in.rdbuf();
    state = decode_state(text.str(), error);
    if (state && state->account != account) {
      error = "written for account '" + state->account + "'";
      state.reset();
    }
  }
  if (!state) log::warn("ignoring state file", {{"file", path.string()}, {"err", error}});
  return state;
}

}  // namespace coinw::collect
