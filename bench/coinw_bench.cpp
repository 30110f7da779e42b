// Google Benchmark suite: response parsers, and /metrics rendering through
// Exporter::metrics (stable while the exposition internals change), against an
// in-process simulator. Sizes come from --coinw_invitees so the smoke run stays tiny.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/parse.h"
#include "common/clock.h"
#include "config/config.h"
#include "exporter/exporter.h"
#include "exposition/family_set.h"
#include "log/log.h"
#include "sim/dataset.h"
#include "sim/endpoints.h"
#include "sim/simulator.h"

namespace {

using namespace coinw;
using namespace std::chrono_literals;

// --- parsers -----------------------------------------------------------------

// Pages produced by the simulator stand in for recorded CoinW answers: same
// envelope and field shapes, and deterministic for a given seed.
std::string invitee_page(int rows, bool quirks) {
  static std::map<std::pair<int, bool>, std::string> cache;
  auto& body = cache[{rows, quirks}];
  if (body.empty()) {
    sim::Dataset data(42, rows, 0);
    sim::InviteeQuery q;
    q.page_size = rows;
    body = sim::invitee_assets_body(data, q, sim::Rendering{0, quirks, 7});
  }
  return body;
}

void BM_ParseInviteePage(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const std::string body = invitee_page(rows, state.range(1) != 0);
  for (auto _ : state) {
    auto page = api::parse_invitee_page(200, body, 0);
    if (!page || page.value().rows.size() != static_cast<size_t>(rows)) {
      state.SkipWithError("page did not parse");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseInviteePage)->ArgNames({"rows", "quirks"})->Args({100, 0})->Args({1000, 0})->Args({1000, 1});

void BM_ParseSubAccounts(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  sim::Dataset data(42, 0, rows);
  const std::string body = sim::sub_account_list_body(data, sim::Rendering{});
  for (auto _ : state) {
    auto list = api::parse_sub_accounts(200, body);
    if (!list || list.value().rows.size() != static_cast<size_t>(rows)) {
      state.SkipWithError("list did not parse");
      break;
    }
    benchmark::DoNotOptimize(list);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseSubAccounts)->ArgName("rows")->Arg(12)->Arg(1000);

// --- exposition writer -------------------------------------------------------
// The writer alone, without the cache walk Exporter::metrics adds: what a
// series costs in label escaping, number formatting and joining.

void BM_AppendValue(benchmark::State& state) {
  // Amounts with 8 decimals and unix times, the exporter's typical values.
  std::vector<double> values;
  uint64_t rng = 7;
  for (int i = 0; i < 1024; ++i)
    values.push_back(i % 2 ? static_cast<double>(sim::random_between(rng, 0, 2'000'000'000'000)) / 1e8
                           : static_cast<double>(sim::random_between(rng, 1'600'000'000, 1'800'000'000)));
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (double v : values) exposition::append_value(out, v);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
}
BENCHMARK(BM_AppendValue);

void BM_RenderLabels(benchmark::State& state) {
  const exposition::Labels labels{{"account", "main"}, {"quote", "usdt"}, {"uid", "10004321"}};
  for (auto _ : state) benchmark::DoNotOptimize(exposition::render_labels(labels));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderLabels);

// N invitees x 3 gauges written through FamilySet, then rendered to one body.
void BM_FamilySetWrite(benchmark::State& state) {
  const int invitees = static_cast<int>(state.range(0));
  std::vector<std::string> uids;
  for (int i = 0; i < invitees; ++i) uids.push_back(std::to_string(10'000'000 + 37 * i));
  size_t bytes = 0;
  for (auto _ : state) {
    exposition::FamilySet set;
    auto& deposit = set.family("coinw_invitee_total_deposit", "Total deposits.", "gauge");
    auto& withdrawal = set.family("coinw_invitee_total_withdrawal", "Total withdrawals.", "gauge");
    auto& balance = set.family("coinw_invitee_current_balance", "Current balance.", "gauge");
    for (int i = 0; i < invitees; ++i) {
      const std::string l = exposition::render_labels({{"account", "main"}, {"quote", "usdt"}, {"uid", uids[i]}});
      deposit.sample(l, 1234.56789012 + i);
      withdrawal.sample(l, 17.5 + i);
      balance.sample(l, 0.00012345 * i);
    }
    const std::string body = set.render();
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(state.iterations() * invitees * 3);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}
BENCHMARK(BM_FamilySetWrite)->ArgName("invitees")->Arg(50000)->Unit(benchmark::kMillisecond);

// --- /metrics ------------------------------------------------------------------

// A simulator and an exporter whose cache holds `invitees` rows of one quote.
struct Loaded {
  std::unique_ptr<sim::Simulator> sim;
  std::unique_ptr<exporter::Exporter> exp;
  config::Config config;
  std::string body;  // one rendering, for the size counters
  size_t series = 0;
  double load_seconds = 0;
};

void start(Loaded& l, int invitees, std::chrono::milliseconds refresh_interval) {
  // Only our own simulator is asked, so its limits are off and pages are large:
  // loading 50k rows takes a second instead of CoinW's 100 s.
  sim::Options o;
  o.invitees = invitees;
  o.page_size_cap = 1000;
  o.limits = {0, 0, 0, 0};
  l.sim = std::make_unique<sim::Simulator>(o);
  l.sim->start();

  config::Config c;
  c.global.rate_limits.invitee_assets_per_second = 100000;
  c.global.rate_limits.sub_account_list_per_second = 100000;
  c.global.rate_limits.spot_ip_per_second = 100000;
  c.global.rate_limits.spot_user_per_second = 100000;
  c.global.rate_limits.safety_margin = 0ms;
  config::AccountConfig a;
  a.name = "bench";
  a.base_url = l.sim->url();
  a.api_key = "demo-key";
  a.secret_key = "demo-secret";
  a.invitee_assets.quotes = {"usdt"};
  a.invitee_assets.page_size = 1000;
  // Long intervals: the timed scrapes render from the cache and never call the API.
  a.invitee_assets.min_refresh_interval = refresh_interval;
  a.sub_accounts.min_refresh_interval = refresh_interval;
  c.accounts = {a};
  l.config = c;
  l.exp = std::make_unique<exporter::Exporter>(SystemClock::instance());
  l.exp->apply(c);
}

constexpr const char* kFullRefresh =
    "coinw_collector_last_full_refresh_timestamp_seconds{account=\"bench\",collector=\"invitee_assets\"}";

Loaded& loaded(int invitees) {
  static std::map<int, std::unique_ptr<Loaded>> all;
  auto& slot = all[invitees];
  if (slot) return *slot;
  slot = std::make_unique<Loaded>();
  Loaded& l = *slot;
  start(l, invitees, 24h);

  web::ScrapeRequest fill;
  fill.timeout_seconds = 600;
  const auto t0 = std::chrono::steady_clock::now();
  l.body = l.exp->metrics(fill).joined();
  l.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (l.body.find(kFullRefresh) == std::string::npos)
    throw std::runtime_error("the invitee cache did not fill in one scrape");
  l.body = l.exp->metrics({}).joined();
  std::istringstream in(l.body);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') ++l.series;
  return l;
}

void set_size_counters(benchmark::State& state, const Loaded& l, int invitees) {
  state.counters["invitees"] = invitees;
  state.counters["series"] = static_cast<double>(l.series);
  state.counters["body_bytes"] = static_cast<double>(l.body.size());
  state.counters["load_s"] = l.load_seconds;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(l.series));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(l.body.size()));
}

// A scrape between refreshes: the business data comes from the rendered cache.
void BM_ExporterMetrics(benchmark::State& state) {
  const int invitees = static_cast<int>(state.range(0));
  const bool gzip = state.range(1) != 0;
  Loaded& l = loaded(invitees);
  const uint64_t requests_before = l.sim->counters().invitee_assets.requests;
  web::ScrapeRequest r;
  r.gzip = gzip;
  size_t sent = 0;
  for (auto _ : state) {
    auto res = l.exp->metrics(r);
    sent = 0;
    for (const auto& p : res.parts) sent += p->size();
    benchmark::DoNotOptimize(sent);
  }
  if (l.sim->counters().invitee_assets.requests != requests_before)
    state.SkipWithError("a timed scrape called the API; the measurement is not of serving alone");
  set_size_counters(state, l, invitees);
  state.counters["sent_bytes"] = static_cast<double>(sent);
}

// A scrape right after the data changed: everything is rendered and compressed
// again. The change is a nick_name policy that alternates, which invalidates the
// rendering as a refresh does, without an API call.
void BM_ExporterMetricsChanged(benchmark::State& state) {
  const int invitees = static_cast<int>(state.range(0));
  Loaded& l = loaded(invitees);
  web::ScrapeRequest r;
  r.gzip = true;
  bool full = false;
  for (auto _ : state) {
    state.PauseTiming();
    full = !full;
    l.config.global.nick_name = full ? config::NickNamePolicy::full : config::NickNamePolicy::masked;
    l.exp->apply(l.config);
    state.ResumeTiming();
    benchmark::DoNotOptimize(l.exp->metrics(r).parts.size());
  }
  set_size_counters(state, l, invitees);
}

// What the served gzip would cost if the whole body were compressed on every
// scrape, as cpp-httplib did before (zlib's default level) or at level 1.
std::string gzip(const std::string& in, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

void BM_WholeBodyGzip(benchmark::State& state) {
  const int invitees = static_cast<int>(state.range(0));
  const int level = static_cast<int>(state.range(1));
  Loaded& l = loaded(invitees);
  size_t compressed = 0;
  for (auto _ : state) {
    compressed = gzip(l.body, level).size();
    benchmark::DoNotOptimize(compressed);
  }
  set_size_counters(state, l, invitees);
  state.counters["gzip_bytes"] = static_cast<double>(compressed);
}

// --- memory ------------------------------------------------------------------
// Heap bytes in use, whichever arena holds them: unlike RSS, not moved by glibc
// keeping freed memory or by the number of threads that ever allocated.
double heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
}

double rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * 4096;
}

// Prints one JSON object: heap per cached row for each size, and heap and RSS after
// each of `refreshes` full refreshes of the first size.
int memory_report(const std::vector<int>& sizes, int refreshes) {
  std::printf("{\"sizes\": [");
  for (size_t i = 0; i < sizes.size(); ++i) {
    Loaded l;
    start(l, sizes[i], 24h);
    const double before = heap_in_use(), rss_before = rss_bytes();
    web::ScrapeRequest fill;
    fill.timeout_seconds = 600;
    if (l.exp->metrics(fill).joined().find(kFullRefresh) == std::string::npos) return 1;
    l.exp->metrics({});  // the render's temporaries are freed again
    const double after = heap_in_use(), rss_after = rss_bytes();
    std::printf("%s{\"invitees\": %d, \"heap_bytes\": %.0f, \"heap_bytes_per_row\": %.1f, \"rss_bytes_per_row\": %.1f}",
                i ? ", " : "", sizes[i], after - before, (after - before) / sizes[i],
                (rss_after - rss_before) / sizes[i]);
  }
  std::printf("], \"growth\": {\"invitees\": %d, \"after_refresh\": [", sizes.front());
  Loaded l;
  start(l, sizes.front(), 0ms);  // every scrape is a complete refresh
  web::ScrapeRequest fill;
  fill.timeout_seconds = 600;
  for (int r = 1; r <= refreshes; ++r) {
    if (l.exp->metrics(fill).joined().find(kFullRefresh) == std::string::npos) return 1;
    std::printf("%s{\"refresh\": %d, \"heap_bytes\": %.0f, \"rss_bytes\": %.0f}", r > 1 ? ", " : "", r, heap_in_use(),
                rss_bytes());
  }
  const auto c = l.sim->counters().invitee_assets.requests;
  std::printf("], \"requests\": %llu}}\n", static_cast<unsigned long long>(c));
  return 0;
}

std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) sizes.push_back(std::stoi(item));
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  // Our flag is removed before Google Benchmark sees the rest.
  std::vector<int> sizes{1000, 10000, 50000}, memory_sizes;
  int refreshes = 20;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const std::string& flag) { return arg.rfind(flag, 0) == 0 ? arg.substr(flag.size()) : ""; };
    if (auto v = value("--coinw_invitees="); !v.empty())
      sizes = parse_sizes(v);
    else if (auto m = value("--coinw_memory="); !m.empty())
      memory_sizes = parse_sizes(m);
    else if (auto r = value("--coinw_refreshes="); !r.empty())
      refreshes = std::stoi(r);
    else
      rest.push_back(argv[i]);
  }
  int rest_argc = static_cast<int>(rest.size());
  log::configure(log::Level::error, log::Format::logfmt);
  // A separate mode: memory figures must not include other benchmarks' leftovers.
  if (!memory_sizes.empty()) return memory_report(memory_sizes, refreshes);

  for (int n : sizes) {
    benchmark::RegisterBenchmark("BM_ExporterMetrics", BM_ExporterMetrics)
        ->ArgNames({"", "gzip"})
        ->Args({n, 0})
        ->Args({n, 1})
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_ExporterMetricsChanged", BM_ExporterMetricsChanged)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_WholeBodyGzip", BM_WholeBodyGzip)
        ->ArgNames({"", "level"})
        ->Args({n, Z_DEFAULT_COMPRESSION})
        ->Args({n, 1})
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
