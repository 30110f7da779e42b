// The schema: which keys exist, their defaults (in config.h), their limits.
#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "common/coinw_facts.h"
#include "common/timefmt.h"
#include "config/config.h"
#include "config/expected.h"
#include "config/files.h"
#include "config/periods.h"
#include "config/walker.h"

namespace coinw::config {
namespace {

using detail::Map;
using detail::Walker;
using namespace std::chrono_literals;

constexpr int kNoMax = INT_MAX;
// Far above any real config; a larger file is almost certainly the wrong one.
constexpr size_t kMaxConfigBytes = 16 * 1024 * 1024;
constexpr milliseconds kNoMaxDuration = milliseconds::max();

bool valid_identifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

bool has_space_or_control(std::string_view s) {
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) return true;
  return false;
}

class Loader {
 public:
  Loader(Walker& w, const std::string& config_path, const EnvLookup& env)
      : w_(w), config_path_(config_path), env_(env) {}

  Config load(const YAML::Node& root);
  const std::vector<std::string>& secrets() const { return secrets_; }

 private:
  void global(const Map& top, GlobalConfig& g);
  void rate_limits(const Map& global, RateLimitConfig& r);
  std::optional<AccountConfig> account(const YAML::Node& n, size_t index, const GlobalConfig& g);
  void invitee_assets(const Map& account, const GlobalConfig& g, InviteeAssetsConfig& c);
  void sub_accounts(const Map& account, SubAccountsConfig& c);
  void secret(const Map& account, const std::string& key, std::string& out);
  std::optional<std::string> secret_file(const Map& m, std::string_view key, std::string& resolved);
  std::optional<Proxy> proxy_url(const Map& m, bool& bad);
  void account_proxy(const Map& account, const GlobalConfig& g, AccountConfig& a);
  std::optional<Proxy> environment_proxy(const Map& account, const BaseUrl& url, std::string& from,
                                         std::string& no_proxy);
  void identifier(const Map& m, std::string_view key, std::string& out);
  std::optional<std::string> file_path(const Map& m, std::string_view key);

  Walker& w_;
  const std::string& config_path_;
  const EnvLookup& env_;
  std::vector<std::string> secrets_;
};

Config Loader::load(const YAML::Node& root) {
  Config c;
  auto top = w_.map(root, "", {"global", "accounts"});
  if (!top) return c;
  global(*top, c.global);
  auto accounts = w_.list(*top, "accounts");
  if (!top->find("accounts")) w_.error(top->line, "accounts", "required: list at least one account");
  if (accounts && accounts->empty()) w_.error(top->line, "accounts", "must list at least one account");
  if (!accounts) return c;
  for (size_t i = 0; i < accounts->size(); ++i) {
    auto a = account((*accounts)[i], i, c.global);
    if (!a) continue;
    for (size_t j = 0; j < c.accounts.size(); ++j) {
      if (c.accounts[j].name == a->name && !a->name.empty())
        w_.error(detail::line_of(std::as_const((*accounts)[i])["name"]), "accounts[" + std::to_string(i) + "].name",
                 "duplicate account name '" + a->name + "', also used by accounts[" + std::to_string(j) +
                     "] (names become the account label)");
    }
    c.accounts.push_back(std::move(*a));
  }
  return c;
}

std::optional<std::string> Loader::file_path(const Map& m, std::string_view key) {
  auto path = w_.string(m, key);
  if (!path || path->empty()) return path;
  *path = detail::resolve_path(*path, config_path_);
  if (auto problem = detail::check_readable_file(*path); !problem.empty()) {
    w_.error(m.line_of(key), m.path_of(key), problem);
    return std::nullopt;
  }
  return path;
}

void Loader::global(const Map& top, GlobalConfig& g) {
  auto m = w_.map(top, "global",
                  {"scrape_timeout_offset", "default_scrape_timeout", "staleness_limit", "nick_name", "time_zone",
                   "http", "rate_limits", "state_dir"});
  if (!m) return;
  if (auto v = w_.duration(*m, "scrape_timeout_offset", 0ms, kNoMaxDuration)) g.scrape_timeout_offset = *v;
  if (auto v = w_.duration(*m, "default_scrape_timeout", 1ms, kNoMaxDuration)) g.default_scrape_timeout = *v;
  if (g.scrape_timeout_offset >= g.default_scrape_timeout) {
    w_.error(m->line_of("scrape_timeout_offset"), m->path_of("scrape_timeout_offset"),
             "must be less than default_scrape_timeout (" + format_duration(g.default_scrape_timeout) + "), got " +
                 format_duration(g.scrape_timeout_offset));
  }
  if (auto v = w_.duration(*m, "staleness_limit", 0ms, kNoMaxDuration)) g.staleness_limit = *v;
  if (auto v = w_.choice<NickNamePolicy>(
          *m, "nick_name",
          {{"masked", NickNamePolicy::masked}, {"full", NickNamePolicy::full}, {"none", NickNamePolicy::none}}))
    g.nick_name = *v;
  if (auto v = w_.string(*m, "time_zone")) {
    if (auto offset = parse_utc_offset(*v))
      g.time_zone_offset_seconds = *offset;
    else
      w_.error(m->line_of("time_zone"), m->path_of("time_zone"),
               "must be UTC, Z or an offset like +08:00 or -05:30, got '" + *v + "'");
  }
  if (auto http = w_.map(*m, "http",
                         {"connect_timeout", "read_timeout", "ca_file", "proxy_url", "proxy_password_file", "no_proxy",
                          "proxy_from_environment"})) {
    if (auto v = w_.duration(*http, "connect_timeout", 1ms, kNoMaxDuration)) g.http.connect_timeout = *v;
    if (auto v = w_.duration(*http, "read_timeout", 1ms, kNoMaxDuration)) g.http.read_timeout = *v;
    if (auto v = file_path(*http, "ca_file")) g.http.ca_file = *v;
    bool bad = false;
    g.http.proxy = proxy_url(*http, bad);
    if (auto v = w_.string(*http, "no_proxy")) g.http.no_proxy = *v;
    if (auto v = w_.boolean(*http, "proxy_from_environment")) g.http.proxy_from_environment = *v;
  }
  rate_limits(*m, g.rate_limits);
  if (auto v = w_.string(*m, "state_dir"); v && !v->empty()) g.state_dir = detail::resolve_path(*v, config_path_);
}

void Loader::rate_limits(const Map& global, RateLimitConfig& r) {
  auto m = w_.map(global, "rate_limits",
                  {"invitee_assets_per_second", "futures_ip_per_second", "sub_account_list_per_second",
                   "spot_ip_per_second", "spot_user_per_second", "safety_margin", "pause_after_rate_limit"});
  if (!m) return;
  auto limit = [&](std::string_view key, int min, int documented, int& out) {
    auto v = w_.integer(*m, key, min, kNoMax);
    if (!v) return;
    out = *v;
    if (documented > 0 && *v > documented)
      w_.warn(m->line_of(key), m->path_of(key),
              std::to_string(*v) + " exceeds CoinW's documented limit of " + std::to_string(documented) +
                  " per second and risks a ban");
  };
  // Above CoinW's documented limits a key or IP gets banned (docs/coinw-api.md §3).
  limit("invitee_assets_per_second", 1, facts::kInviteeAssetsPerSecond, r.invitee_assets_per_second);
  limit("futures_ip_per_second", 0, 0, r.futures_ip_per_second);
  limit("sub_account_list_per_second", 1, facts::kSubAccountListPerSecond, r.sub_account_list_per_second);
  limit("spot_ip_per_second", 0, facts::kSpotIpPerSecond, r.spot_ip_per_second);
  limit("spot_user_per_second", 0, facts::kSpotUserPerSecond, r.spot_user_per_second);
  if (auto v = w_.duration(*m, "safety_margin", 0ms, 1s)) r.safety_margin = *v;
  // Retrying before CoinW's ban ends only extends it.
  if (auto v = w_.duration(*m, "pause_after_rate_limit", facts::kRateLimitBan, kNoMaxDuration))
    r.pause_after_rate_limit = *v;
}

std::optional<AccountConfig> Loader::account(const YAML::Node& n, size_t index, const GlobalConfig& g) {
  auto m = w_.map(n, "accounts[" + std::to_string(index) + "]",
                  {"name", "user", "base_url", "api_key", "api_key_file", "secret_key", "secret_key_file", "ca_file",
                   "proxy_url", "proxy_password_file", "no_proxy", "invitee_assets", "sub_accounts",
                   "invitee_registrations", "invitee_trade_volume"});
  if (!m) return std::nullopt;
  AccountConfig a;
  if (m->find("name"))
    identifier(*m, "name", a.name);
  else
    w_.error(m->line, m->path_of("name"), "required");
  identifier(*m, "user", a.user);
  if (auto v = w_.string(*m, "base_url")) {
    std::string problem;
    if (auto url = BaseUrl::parse(*v, problem)) {
      a.base_url = *url;
      if (!url->https() && !url->loopback())
        w_.warn(m->line_of("base_url"), m->path_of("base_url"),
                "plain http to a host that is not loopback: credentials would cross the network unencrypted");
    } else {
      w_.error(m->line_of("base_url"), m->path_of("base_url"), problem);
    }
  }
  secret(*m, "api_key", a.api_key);
  secret(*m, "secret_key", a.secret_key);
  a.ca_file = g.http.ca_file;
  if (m->find("ca_file")) {
    if (auto v = file_path(*m, "ca_file")) a.ca_file = *v;
  }
  account_proxy(*m, g, a);
  invitee_assets(*m, g, a.invitee_assets);
  sub_accounts(*m, a.sub_accounts);
  detail::funnel(w_, *m, g.time_zone_offset_seconds, a.invitee_assets.windows, a.invitee_registrations,
                 a.invitee_trade_volume);
  if (!a.invitee_assets.enabled && !a.sub_accounts.enabled && !a.invitee_registrations.enabled &&
      !a.invitee_trade_volume.enabled)
    w_.warn(m->line, m->path, "every collector is disabled: this account exports nothing");
  return a;
}

// A name used in labels or limiter keys.
void Loader::identifier(const Map& m, std::string_view key, std::string& out) {
  auto v = w_.string(m, key);
  if (!v) return;
  if (valid_identifier(*v))
    out = *v;
  else
    w_.error(m.line_of(key), m.path_of(key), "must be 1 to 64 of a-z A-Z 0-9 _ . -, got '" + *v + "'");
}

// api_key / secret_key, inline or from <key>_file; the value never reaches a message.
void Loader::secret(const Map& account, const std::string& key, std::string& out) {
  const std::string file_key = key + "_file";
  const YAML::Node* inline_node = account.find(key);
  const YAML::Node* file_node = account.find(file_key);
  if (inline_node && file_node) {
    w_.error(account.line_of(file_key), account.path_of(file_key),
             "set either " + key + " or " + file_key + ", not both");
    return;
  }
  if (!inline_node && !file_node) {
    w_.error(account.line, account.path_of(key), "required (or " + file_key + ")");
    return;
  }
  std::optional<std::string> value;
  const std::string path = account.path_of(file_node ? file_key : key);
  const int line = account.line_of(file_node ? file_key : key);
  std::string origin;
  if (inline_node) {
    value = w_.string(account, key);
  } else {
    std::string resolved;
    value = secret_file(account, file_key, resolved);
    origin = "the content of " + resolved + " ";
  }
  if (!value) return;
  if (value->empty()) {
    w_.error(line, path, "must not be empty");
  } else if (has_space_or_control(*value)) {
    w_.error(line, path, origin + "must not contain whitespace or control characters");
  } else {
    out = *value;
  }
  if (!value->empty()) secrets_.push_back(*value);
}

// The content of the file that `key` names, never echoed; warned about when
// others can read it. `resolved` receives the path as opened.
std::optional<std::string> Loader::secret_file(const Map& m, std::string_view key, std::string& resolved) {
  auto file = w_.string(m, key);
  if (!file) return std::nullopt;
  resolved = detail::resolve_path(*file, config_path_);
  const int line = m.line_of(key);
  auto read = detail::read_secret_file(resolved);
  if (!read.value) w_.error(line, m.path_of(key), read.problem);
  if (read.loose_mode != 0) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%04o", read.loose_mode);
    w_.warn(line, m.path_of(key), resolved + " is accessible by group or others (mode " + mode + "); chmod 600 it");
  }
  if (read.value && !read.value->empty()) secrets_.push_back(*read.value);
  return read.value;
}

// proxy_url with its proxy_password_file, in global.http or an account; none
// when unset or empty. `bad`: set, but wrong (an error is recorded).
std::optional<Proxy> Loader::proxy_url(const Map& m, bool& bad) {
  auto url = w_.string(m, "proxy_url");
  const bool password_file = m.find("proxy_password_file") != nullptr;
  bad = !url && m.find("proxy_url");
  if (!url || url->empty()) {
    if (password_file)
      w_.error(m.line_of("proxy_password_file"), m.path_of("proxy_password_file"),
               "needs a proxy_url with a user name");
    return std::nullopt;
  }
  std::string problem;
  auto proxy = parse_proxy_url(*url, false, problem);
  bad = !proxy;
  if (!proxy) {
    w_.error(m.line_of("proxy_url"), m.path_of("proxy_url"), problem);
    return std::nullopt;
  }
  if (!proxy->password.empty()) secrets_.push_back(proxy->password);
  if (!password_file) return proxy;
  bad = proxy->username.empty() || !proxy->password.empty();
  if (bad) {
    w_.error(m.line_of("proxy_password_file"), m.path_of("proxy_password_file"),
             "needs a user name and no password in proxy_url (http://user@host:port)");
    return std::nullopt;
  }
  std::string resolved;
  auto password = secret_file(m, "proxy_password_file", resolved);  // an empty file is an error there
  bad = !password;
  if (!password) return std::nullopt;
  proxy->password = *password;
  return proxy;
}

// The account's own proxy_url, else global.http's, else the environment's;
// then no_proxy against the account's host.
void Loader::account_proxy(const Map& account, const GlobalConfig& g, AccountConfig& a) {
  bool bad = false;
  auto own = proxy_url(account, bad);
  if (bad) return;  // already an error
  std::string no_proxy = g.http.no_proxy;
  if (auto v = w_.string(account, "no_proxy")) no_proxy = *v;
  std::optional<Proxy> proxy;
  if (own) {
    proxy = own;
    a.proxy_from = account.path_of("proxy_url");
  } else if (g.http.proxy) {
    proxy = g.http.proxy;
    a.proxy_from = "global.http.proxy_url";
  } else if (g.http.proxy_from_environment) {
    proxy = environment_proxy(account, a.base_url, a.proxy_from, no_proxy);
  } else {
    a.proxy_from = "global.http.proxy_from_environment is false";
  }
  if (proxy && no_proxy_matches(no_proxy, a.base_url.host(), a.base_url.port())) {
    proxy.reset();
    a.proxy_from = "no_proxy matches " + a.base_url.host();
  }
  a.proxy = proxy.value_or(Proxy{});
}

// As Go's ProxyFromEnvironment: HTTPS_PROXY (or HTTP_PROXY for http://), the
// upper-case name first; never for a loopback host; NO_PROXY joins `no_proxy`.
std::optional<Proxy> Loader::environment_proxy(const Map& account, const BaseUrl& url, std::string& from,
                                               std::string& no_proxy) {
  const auto names = url.https() ? std::array{"HTTPS_PROXY", "https_proxy"} : std::array{"HTTP_PROXY", "http_proxy"};
  std::optional<std::string> value;
  for (const char* name : names) {
    value = env_(name);
    if (value && !value->empty()) {
      from = name;
      break;
    }
  }
  if (!value || value->empty()) {
    from = std::string("no ") + names[0] + " in the environment";
    return std::nullopt;
  }
  std::string problem;
  auto proxy = parse_proxy_url(*value, true, problem);
  if (proxy && !proxy->password.empty()) secrets_.push_back(proxy->password);
  if (!proxy) {
    w_.error(account.line, account.path,
             from + " in the environment: " + problem + " (or set global.http.proxy_from_environment: false)");
    return std::nullopt;
  }
  if (is_loopback_host(url.host())) {
    from = "loopback hosts are not proxied from the environment";
    return std::nullopt;
  }
  for (const char* name : {"NO_PROXY", "no_proxy"}) {
    if (auto v = env_(name); v && !v->empty()) {
      no_proxy += (no_proxy.empty() ? "" : ",") + *v;
      break;
    }
  }
  return proxy;
}

void Loader::invitee_assets(const Map& account, const GlobalConfig& g, InviteeAssetsConfig& c) {
  auto m = w_.map(account, "invitee_assets",
                  {"enabled", "quotes", "page_size", "min_refresh_interval", "per_invitee_series", "top_k", "top_by",
                   "windows", "window_refresh_interval", "closed_window_grace", "watch"});
  if (!m) return;
  if (auto v = w_.boolean(*m, "enabled")) c.enabled = *v;
  if (auto items = w_.list(*m, "quotes")) {
    c.quotes.clear();
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string path = m->path_of("quotes") + "[" + std::to_string(i) + "]";
      const int line = detail::line_of((*items)[i]);
      auto q = w_.scalar((*items)[i], line, path, "usdt or usdc");
      if (!q) continue;
      if (*q != "usdt" && *q != "usdc")
        w_.error(line, path, "must be usdt or usdc, got '" + *q + "'");
      else if (std::find(c.quotes.begin(), c.quotes.end(), *q) != c.quotes.end())
        w_.error(line, path, "duplicate quote " + *q);
      else
        c.quotes.push_back(*q);
    }
    if (items->empty() && c.enabled)
      w_.error(m->line_of("quotes"), m->path_of("quotes"), "must not be empty while enabled");
  }
  if (auto v = w_.integer(*m, "page_size", 1, 1000)) c.page_size = *v;
  if (auto v = w_.duration(*m, "min_refresh_interval", 1s, kNoMaxDuration)) c.min_refresh_interval = *v;
  if (auto v = w_.choice<PerInviteeSeries>(
          *m, "per_invitee_series",
          {{"all", PerInviteeSeries::all}, {"top", PerInviteeSeries::top}, {"none", PerInviteeSeries::none}}))
    c.per_invitee_series = *v;
  if (auto v = w_.integer(*m, "top_k", 1, 100000)) c.top_k = *v;
  if (auto v = w_.choice<TopBy>(*m, "top_by",
                                {{"current_balance", TopBy::current_balance}, {"total_deposit", TopBy::total_deposit}}))
    c.top_by = *v;
  detail::invitee_windows(w_, *m, g.time_zone_offset_seconds, c.windows);
  if (auto v = w_.duration(*m, "window_refresh_interval", 1s, kNoMaxDuration)) c.window_refresh_interval = *v;
  if (auto v = w_.duration(*m, "closed_window_grace", 0ms, kNoMaxDuration)) c.closed_window_grace = *v;
  detail::invitee_watch(w_, *m, c.quotes.size(), g.rate_limits.invitee_assets_per_second, c.watch);
}

void Loader::sub_accounts(const Map& account, SubAccountsConfig& c) {
  auto m = w_.map(account, "sub_accounts", {"enabled", "min_refresh_interval", "expected", "api_keys", "funds"});
  if (!m) return;
  if (auto v = w_.boolean(*m, "enabled")) c.enabled = *v;
  if (auto v = w_.duration(*m, "min_refresh_interval", 1s, kNoMaxDuration)) c.min_refresh_interval = *v;
  detail::expected_sub_accounts(w_, *m, c.expected);
  if (auto k = w_.map(*m, "api_keys", {"enabled", "min_refresh_interval"})) {
    if (auto v = w_.boolean(*k, "enabled")) c.api_keys.enabled = *v;
    if (auto v = w_.duration(*k, "min_refresh_interval", 1s, kNoMaxDuration)) c.api_keys.min_refresh_interval = *v;
  }
  if (auto f = w_.map(*m, "funds", {"coins", "min_refresh_interval"})) {
    detail::funds_coins(w_, *f, c.funds.coins);
    if (auto v = w_.duration(*f, "min_refresh_interval", 1s, kNoMaxDuration)) c.funds.min_refresh_interval = *v;
  }
}

// Defence in depth: a secret pasted into another key (say `name: ${COINW_SECRET}`)
// would be echoed by that key's error. Very short values are spared: they would
// match ordinary words, and no real CoinW key is that short.
void redact(std::vector<std::string>& messages, const std::vector<std::string>& secrets) {
  constexpr size_t kMinRedacted = 8;
  for (auto& msg : messages)
    for (const auto& s : secrets)
      if (s.size() >= kMinRedacted)
        for (size_t at = msg.find(s); at != std::string::npos; at = msg.find(s, at))
          msg.replace(at, s.size(), "<secret>");
}

std::string line_prefix(const std::string& source, const YAML::Mark& mark) {
  return source + ":" + std::to_string(std::max(1, mark.line + 1)) + ": ";
}

// Where documents start; nothing else is kept.
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Not YAML::LoadAll: on some malformed input (a line starting with ',') yaml-cpp 0.7
// yields empty documents forever until memory runs out (jbeder/yaml-cpp#1040).
// Stopping at the second document is all the one-document rule needs.
std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  for (int i = 0; i < 2 && parser.HandleNextDocument(starts); ++i) {}
  if (starts.marks.size() < 2) return std::nullopt;
  return starts.marks[1];
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> p)
    : std::runtime_error([&] {
        std::string all;
        for (const auto& s : p) all += (all.empty() ? "" : "\n") + s;
        return all;
      }()),
      problems(std::move(p)) {}

Loaded parse_config(std::string_view yaml_text, const std::string& source_name, const EnvLookup& env) {
  YAML::Node root;
  std::optional<YAML::Mark> second;
  try {
    const std::string text(yaml_text);
    root = YAML::Load(text);
    second = second_document(text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's message for tab indentation ("end of map not found") hides the cause.
    bool tab_indent = yaml_text.starts_with('\t') || yaml_text.find("\n\t") != std::string_view::npos;
    throw ConfigError({line_prefix(source_name, e.mark) + "invalid YAML: " + e.msg +
                       (tab_indent ? " (the file indents with tabs; YAML allows only spaces)" : "")});
  }
  if (second)
    throw ConfigError({line_prefix(source_name, *second) + "only one YAML document is allowed, found a second"});
  Walker w(source_name, env);
  Loader loader(w, source_name, env);
  Loaded out;
  try {
    if (root.IsDefined() && !root.IsNull() && !root.IsMap())
      w.error(detail::line_of(root), "", "the top level must be a map with the keys global and accounts");
    else
      out.config = loader.load(root);
  } catch (const YAML::Exception& e) {
    w.error(std::max(1, e.mark.line + 1), "", "cannot read the YAML tree: " + e.msg);
  }
  auto problems = w.take_problems();
  redact(problems, loader.secrets());
  if (!problems.empty()) throw ConfigError(std::move(problems));
  out.warnings = w.take_warnings();
  redact(out.warnings, loader.secrets());
  return out;
}

Loaded load_config_file(const std::string& path) {
  std::string problem;
  auto text = detail::read_file(path, kMaxConfigBytes, problem);
  if (!text) throw ConfigError({problem});
  return parse_config(*text, path, [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  });
}

}  // namespace coinw::config
