#!/usr/bin/python3
"""Runs every benchmark of the exporter and prints one table of figures.

  refresh  the exporter binary scraped like Prometheus (GET every 30 s, 30 s timeout
           header) against coinw-sim with CoinW's real limits: time to a full pass
           over all invitees versus what 5 requests/s allows
  render   coinw_bench (Google Benchmark, Exporter::metrics in-process): a scrape
           between refreshes (cached) and one right after a change, versus
           bench/render_python.py (prometheus_client, with gzip) for the same
           series, plus an HTTP GET of /metrics through the binary with and without gzip
  load     200 concurrent scrapers (wrk, gzip) for 20 s: scrapes/s and p99
  baseline with --baseline-build, the render, HTTP, load and memory figures of an
           earlier build beside these (scripts/bench.sh --baseline REV)
  memory   resident memory per cached invitee row, and RSS over repeated refreshes
  flood    bench/flood.py: scrape latency while one client holds N half-sent, idle or
           non-reading connections (N = 100, 1,000, 10,000; 5,000 invitees in two quotes),
           and the exporter's memory before, during and after (--only flood: just this)
  micro    the parsers, from coinw_bench
  passes   coinw_passes_bench (virtual time): windows [today, month, previous_month] at
           20,000 invitees, scraped for hours: when each pass first completes, steady
           requests per hour against what the intervals need and the rate bounds, and
           what a strict 5/s window would have refused

Figures are printed, never asserted: the smoke mode only shows that all of it runs.
Standard library only; run with /usr/bin/python3 (its prometheus_client is used).
"""
import argparse
import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FULL_REFRESH = 'coinw_collector_last_full_refresh_timestamp_seconds{account="bench",collector="invitee_assets"}'
REQUESTS = 'coinw_api_requests_total{account="bench",endpoint="invitee_assets"}'
LATENCY_SUM = 'coinw_api_request_duration_seconds_sum{account="bench",endpoint="invitee_assets"}'
WAIT = 'coinw_rate_limiter_wait_seconds_total{account="bench",endpoint="invitee_assets"}'


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, headers=None, timeout=120):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read(), dict(r.headers)


def samples(text):
    """name{labels} -> value for every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        key, _, value = line.rpartition(" ")
        try:
            out[key] = float(value)
        except ValueError:
            pass
    return out


def rss_kib(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                fields[k] = int(v.split()[0])
    return fields


class Stack:
    """coinw-sim plus the exporter binary on free loopback ports."""

    def __init__(self, build, invitees, sim_args=(), global_yaml="", invitee_yaml="", sub_accounts=True,
                 exporter_env=None, quotes=("usdt",)):
        self.build, self.procs = build, []
        self.tmp = tempfile.TemporaryDirectory(prefix="coinw-bench-")
        self.sim_port, self.port = free_port(), free_port()
        sim = [os.path.join(build, "src/app/coinw-sim"), f"--listen=127.0.0.1:{self.sim_port}",
               f"--invitees={invitees}", *sim_args]
        self.sim = self._spawn(sim, "sim")
        self._wait(f"http://127.0.0.1:{self.sim_port}/admin/counters")
        config = os.path.join(self.tmp.name, "config.yml")
        with open(config, "w") as f:
            f.write(f"global:\n  {global_yaml or 'staleness_limit: 15m'}\n"
                    "accounts:\n  - name: bench\n"
                    f"    base_url: http://127.0.0.1:{self.sim_port}\n"
                    "    api_key: demo-key\n    secret_key: demo-secret\n"
                    f"    invitee_assets: {{ quotes: [{', '.join(quotes)}]{', ' + invitee_yaml if invitee_yaml else ''} }}\n"
                    f"    sub_accounts: {{ enabled: {'true' if sub_accounts else 'false'} }}\n")
        os.chmod(config, 0o600)
        exp = [os.path.join(build, "src/app/coinw_exporter"), f"--config.file={config}",
               f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=error"]
        self.exporter = self._spawn(exp, "exporter", exporter_env)
        self._wait(f"http://127.0.0.1:{self.port}/-/ready")
        self.url = f"http://127.0.0.1:{self.port}/metrics"

    def _spawn(self, argv, name, env=None):
        err = open(os.path.join(self.tmp.name, name + ".log"), "w")
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, **(env or {})})
        self.procs.append(p)
        return p

    def _wait(self, url):
        for _ in range(600):
            try:
                http_get(url, timeout=2)
                return
            except Exception:
                if any(p.poll() is not None for p in self.procs):
                    raise RuntimeError(f"a process exited early; logs in {self.tmp.name}")
                time.sleep(0.05)
        raise RuntimeError(f"{url} never answered")

    def scrape(self, timeout_header=None, gzip_ok=False):
        headers = {}
        if timeout_header:
            headers["X-Prometheus-Scrape-Timeout-Seconds"] = str(timeout_header)
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        body, h = http_get(self.url, headers, timeout=(timeout_header or 10) + 60)
        return body, h

    def metrics(self, timeout_header=None, gzip_ok=False):
        body, h = self.scrape(timeout_header, gzip_ok)
        if h.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return samples(body.decode())

    def counters(self):
        return json.loads(http_get(f"http://127.0.0.1:{self.sim_port}/admin/counters")[0])

    def close(self):
        for p in reversed(self.procs):  # only our own children, by handle
            p.terminate()
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        self.tmp.cleanup()


FAST_SIM = ("--invitee-limit=0", "--sub-account-limit=0", "--page-size-cap=1000")
FAST_GLOBAL = "rate_limits: { invitee_assets_per_second: 100000, sub_account_list_per_second: 100000, safety_margin: 0ms }"


def fill(stack):
    """Scrapes until the cache holds every invitee (fast stacks: one scrape)."""
    for _ in range(50):
        m = stack.metrics(timeout_header=600, gzip_ok=True)
        if FULL_REFRESH in m:
            return m
    raise RuntimeError("no full refresh")


# --- refresh ----------------------------------------------------------------------

def bench_refresh(build, invitees, label, global_yaml="", interval=30.0, limit_s=900, sim_args=(), timeout=None,
                  quotes=("usdt",)):
    """Prometheus-like scrapes (every `interval`, each with a `timeout` budget) until the first
    complete pass; per-scrape figures for the breakdown. The bound is every page at 5/s."""
    timeout = timeout or interval
    log(f"refresh [{label}]: {invitees} invitees x {len(quotes)} quote(s), pages of 100, "
        f"scrape every {interval:.0f}s with a {timeout:.0f}s timeout")
    st = Stack(build, invitees, sim_args=("--page-size-cap=100", *sim_args), global_yaml=global_yaml,
               invitee_yaml="page_size: 100", quotes=quotes)
    try:
        scrapes, prev = [], {}
        t0_wall = time.time()
        t0 = time.monotonic()
        k = 0
        while True:
            start = t0 + k * interval
            time.sleep(max(0.0, start - time.monotonic()))
            s0 = time.monotonic()
            # Prometheus asks for gzip, so compression counts against its timeout too.
            m = st.metrics(timeout_header=timeout, gzip_ok=True)
            s1 = time.monotonic()
            pages = m.get(REQUESTS, 0) - prev.get(REQUESTS, 0)
            scrapes.append({"start": s0 - t0, "duration": s1 - s0, "pages": pages,
                            "latency_sum": m.get(LATENCY_SUM, 0) - prev.get(LATENCY_SUM, 0),
                            "limiter_wait": m.get(WAIT, 0) - prev.get(WAIT, 0)})
            prev = m
            log(f"  scrape {k + 1}: {scrapes[-1]['duration']:.2f}s, {pages:.0f} pages")
            if FULL_REFRESH in m:
                break
            k += 1
            if time.monotonic() - t0 > limit_s:
                raise RuntimeError("no full refresh within the time limit")
        counters = st.counters()
    finally:
        st.close()
    pages_total = -(-invitees // 100) * len(quotes)
    ideal = pages_total / 5.0
    took = m[FULL_REFRESH] - t0_wall
    full = scrapes[:-1]
    # Where the time goes: the gaps between scrapes (budget offset, latency
    # allowance, the last request that no longer fits) and the pace inside a scrape.
    gaps = sum(interval - s["duration"] for s in full)
    in_scrape = sum(s["duration"] for s in full) + (took - scrapes[-1]["start"])
    pace = sum(s["pages"] for s in scrapes) / in_scrape if in_scrape > 0 else 0
    lat = sum(s["latency_sum"] for s in scrapes) / max(1, sum(s["pages"] for s in scrapes))
    return {
        "label": label, "invitees": invitees, "pages": pages_total, "seconds": took,
        "ideal_seconds": ideal, "ratio": took / ideal, "scrapes": len(scrapes),
        "per_scrape_pages": [s["pages"] for s in scrapes],
        "per_scrape_duration": [round(s["duration"], 3) for s in scrapes],
        "longest_scrape": max(s["duration"] for s in scrapes), "timeout": timeout, "interval": interval,
        "gap_seconds": gaps, "in_scrape_seconds": in_scrape, "pace_per_s": pace,
        "mean_latency_ms": lat * 1000, "requests": counters["endpoints"]["invitee_assets"]["requests"],
        "violations": counters["endpoints"]["invitee_assets"]["violations"]
        + counters["endpoints"]["sub_account_list"]["violations"],
        "rate_limited": counters["rate_limited"],
    }


# --- render -----------------------------------------------------------------------

def run_cpp_bench(build, sizes, smoke, only=None):
    out = os.path.join(tempfile.gettempdir(), f"coinw_bench_{os.getpid()}.json")
    argv = [os.path.join(build, "bench/coinw_bench"), f"--coinw_invitees={','.join(map(str, sizes))}",
            f"--benchmark_out={out}", "--benchmark_out_format=json"]
    if only:
        argv.append(f"--benchmark_filter={only}")
    if smoke:
        argv.append("--benchmark_min_time=0.01")
    else:
        argv.append("--benchmark_repetitions=3")
        argv.append("--benchmark_report_aggregates_only=true")
    log("coinw_bench: " + " ".join(argv[1:]))
    subprocess.run(argv, check=True)
    with open(out) as f:
        data = json.load(f)
    os.unlink(out)
    return data


def cpp_time(data, name, arg):
    """Per-iteration seconds: the median when repetitions ran, else the single run."""
    runs = [b for b in data["benchmarks"] if b["run_name"] == (f"{name}/{arg}" if arg else name) or b["run_name"].startswith(f"{name}/{arg}/")
            or b["run_name"].startswith(f"{name}/rows:{arg}")]
    med = [b for b in runs if b.get("aggregate_name") == "median"]
    b = (med or runs)[0]
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return b["real_time"] * scale, b


def bench_render_python(invitees, repeat):
    log(f"render_python.py: {invitees} invitees, best of {repeat}")
    r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "render_python.py"), f"--invitees={invitees}",
                        f"--repeat={repeat}"], check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def bench_http(build, invitees, repeat):
    log(f"HTTP /metrics through the binary: {invitees} invitees, best of {repeat}")
    st = Stack(build, invitees, sim_args=FAST_SIM, global_yaml=FAST_GLOBAL,
               invitee_yaml="page_size: 1000, min_refresh_interval: 24h")
    try:
        fill(st)
        out = {}
        for enc in (False, True):
            best, size = float("inf"), 0
            for _ in range(repeat):
                t0 = time.perf_counter()
                body, h = st.scrape(gzip_ok=enc)
                best = min(best, time.perf_counter() - t0)
                size = len(body)
            if enc and h.get("Content-Encoding") != "gzip":
                raise RuntimeError("asked for gzip, got " + str(h.get("Content-Encoding")))
            if enc:
                gzip.decompress(body)
            out["gzip" if enc else "plain"] = {"seconds": best, "bytes": size}
        return out
    finally:
        st.close()


def bench_load(build, seconds, connections=200):
    """The e2e.load set-up in short: wrk with gzip and Prometheus' timeout header."""
    log(f"load: {connections} connections for {seconds} s")
    st = Stack(build, 250, invitee_yaml="page_size: 100, min_refresh_interval: 20s")
    try:
        fill(st)
        script = os.path.join(st.tmp.name, "headers.lua")
        with open(script, "w") as f:
            f.write('wrk.headers["X-Prometheus-Scrape-Timeout-Seconds"] = "10"\n'
                    'wrk.headers["Accept-Encoding"] = "gzip"\n')
        r = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                            "-s", script, st.url], capture_output=True, text=True, check=True,
                           timeout=seconds + 60)
        served = int(re.search(r"(\d+) requests in", r.stdout).group(1))
        m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", r.stdout, re.M)
        p99_ms = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
        return {"seconds": seconds, "per_second": served / seconds, "p99_ms": p99_ms,
                "non2xx": int(non2xx.group(1)) if non2xx else 0}
    finally:
        st.close()


# --- memory -----------------------------------------------------------------------

def bench_memory(build, sizes):
    out = {}
    for n in [0, *sizes]:
        st = Stack(build, n, sim_args=FAST_SIM, global_yaml=FAST_GLOBAL,
                   invitee_yaml="page_size: 1000, min_refresh_interval: 24h")
        try:
            fill(st)
            st.scrape(gzip_ok=True)  # steady state: the cache plus one scrape as Prometheus asks
            out[n] = rss_kib(st.exporter.pid)
        finally:
            st.close()
        log(f"memory: {n} invitees: RSS {out[n]['VmRSS']} KiB, peak {out[n]['VmHWM']} KiB")
    base = out[0]["VmRSS"]
    return {n: {**v, "bytes_per_row": (v["VmRSS"] - base) * 1024 / n if n else 0} for n, v in out.items()}


def bench_heap(build, sizes, refreshes):
    log(f"heap in use (in-process, mallinfo2): {sizes}, {refreshes} refreshes")
    r = subprocess.run([os.path.join(build, "bench/coinw_bench"), f"--coinw_memory={','.join(map(str, sizes))}",
                        f"--coinw_refreshes={refreshes}"], check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def bench_growth(build, invitees, refreshes, env=None):
    log(f"growth: {refreshes} full refreshes of {invitees} invitees{' with ' + str(env) if env else ''}")
    st = Stack(build, invitees, sim_args=FAST_SIM, global_yaml=FAST_GLOBAL,
               invitee_yaml="page_size: 1000, min_refresh_interval: 1s", exporter_env=env)
    try:
        rows, last = [], None
        for i in range(1, refreshes + 1):
            if i > 1:
                time.sleep(1.05)  # past min_refresh_interval, so this scrape refreshes everything
            m = fill(st)
            if m[FULL_REFRESH] == last:
                raise RuntimeError("scrape did not refresh")
            last = m[FULL_REFRESH]
            rows.append({"refresh": i, **rss_kib(st.exporter.pid)})
        return {"invitees": invitees, "env": env or {}, "rows": rows}
    finally:
        st.close()


def machine(build):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    cxx = "c++"
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith("CMAKE_CXX_COMPILER:"):
                cxx = line.split("=", 1)[1].strip()
    version = subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kib / 1048576, 1),
            "compiler": version, "load_at_start": os.getloadavg()}


# --- report -----------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", required=True)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--skip-refresh", action="store_true")
    p.add_argument("--only", choices=["cold-start", "flood"], help="run one section and print its figures")
    p.add_argument("--json", help="also write the figures here")
    p.add_argument("--baseline-build", help="an earlier build to measure beside this one")
    args = p.parse_args()
    build = os.path.abspath(args.build_dir)
    smoke = args.smoke
    if args.only == "cold-start":
        print_rows(cold_start_rows(bench_cold_start(build, smoke)))
        return
    import flood  # it imports this module for its helpers
    flood_args = ([50], 500) if smoke else ([100, 1000, 10000], 5000)
    if args.only == "flood":
        print_machine(machine(build))
        print_rows(flood.report_rows(flood.bench_flood(build, *flood_args)))
        return

    render_n = 2000 if smoke else 50000
    cpp_sizes = [render_n] if smoke else [1000, 10000, 50000]
    res = {"mode": "smoke" if smoke else "full", "machine": machine(build)}
    res["cpp"] = run_cpp_bench(build, cpp_sizes, smoke)
    res["python"] = bench_render_python(render_n, 1 if smoke else 5)
    res["http"] = bench_http(build, render_n, 2 if smoke else 5)
    load_s = 3 if smoke else 20
    res["load"] = bench_load(build, load_s)
    res["memory"] = bench_memory(build, [1000, 2000] if smoke else [10000, 100000])
    res["flood"] = flood.bench_flood(build, *flood_args)
    if args.baseline_build:
        base = os.path.abspath(args.baseline_build)
        res["baseline"] = {"cpp": run_cpp_bench(base, [render_n], smoke, "BM_ExporterMetrics"),
                           "http": bench_http(base, render_n, 2 if smoke else 5),
                           "load": bench_load(base, load_s),
                           "memory": bench_memory(base, [2000] if smoke else [100000])}
    res["heap"] = bench_heap(build, [1000, 2000] if smoke else [10000, 100000], 5 if smoke else 20)
    # glibc gives each new thread (a scrape refreshes on a std::async thread) its own
    # arena, up to 8 per core; capping arenas separates that from real growth.
    res["growth"] = [bench_growth(build, 1000 if smoke else 10000, 5 if smoke else 20, env)
                     for env in (None, {"MALLOC_ARENA_MAX": "2"})]
    res["refresh"] = []
    if not args.skip_refresh:
        res["refresh"].append(bench_refresh(build, 2000 if smoke else 100000, "defaults"))
        if not smoke:
            # The limiter paces N requests per window + margin + one round trip, so
            # network delay costs throughput; loopback hides that.
            res["refresh"].append(bench_refresh(build, 20000, "defaults, 0-50 ms network delay",
                                                sim_args=("--delay-max-ms=50",)))
            res["refresh"].append(bench_refresh(
                build, 100000, "offset 100ms, margin 0ms",
                global_yaml="scrape_timeout_offset: 100ms\n  rate_limits: { safety_margin: 0ms }"))
    res["cold_start"] = bench_cold_start(build, smoke)
    res["passes"] = [bench_passes(build, smoke, extra) for extra in
                     ([], ["--min-refresh=600", "--window-refresh=900", "--watch=10"])]
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1, default=str)
    report(res)


def bench_cold_start(build, smoke):
    """Issue 21's cold start: 5,000 invitees in two quotes (100 pages), scraped at Prometheus'
    usual cadences with a 10 s timeout, on loopback and with 0-100 ms of network delay."""
    invitees = 500 if smoke else 5000
    cadences = [(60, 10)] if smoke else [(60, 10), (30, 10), (15, 10)]
    delays = [0] if smoke else [0, 100]
    return [bench_refresh(build, invitees, f"every {i}s, timeout {t}s, delay 0-{d} ms", interval=i, timeout=t,
                          quotes=("usdt", "usdc"), sim_args=(f"--delay-max-ms={d}",))
            for d in delays for i, t in cadences]


def cold_start_rows(runs):
    return [("cold start", f"{r['invitees']} invitees x 2 quotes ({r['pages']} pages), {r['label']}",
             f"{r['seconds']:.1f} s vs {r['ideal_seconds']:.1f} s at 5/s = {r['ratio']:.3f}x (target <= 1.1), "
             f"{r['scrapes']} scrape(s), {r['violations']} violations, {r['rate_limited']} x 29001") for r in runs]


def print_machine(m):
    print(f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, {m['compiler']}, "
          f"load average at start {' '.join(f'{x:.2f}' for x in m['load_at_start'])}")


def print_rows(rows):
    w = max(len(r[1]) for r in rows)
    print()
    for section, what, value in rows:
        print(f"{section:<11} {what:<{w}}  {value}")


def bench_passes(build, smoke, extra):
    argv = [os.path.join(build, "bench/coinw_passes_bench"),
            f"--invitees={2000 if smoke else 20000}", f"--hours={2 if smoke else 6}", *extra]
    log("coinw_passes_bench: " + " ".join(argv[1:]))
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def report(res):
    rows = []
    n = res["python"]["invitees"]
    ch_s, b = cpp_time(res["cpp"], "BM_ExporterMetricsChanged", n)
    series = int(b["series"])
    py = {r["metrics"]: r for r in res["python"]["runs"]}
    rows.append(("render", f"Exporter::metrics right after a change: render + compress, {n} invitees x 6 gauges "
                           f"({series} series, {b['body_bytes'] / 1e6:.1f} MB)",
                 f"{ch_s * 1e3:.1f} ms (CPU {ch_s * b['cpu_time'] / b['real_time'] * 1e3:.1f} ms)"))
    cached = {}
    for gz in (0, 1):
        t, cb = cpp_time(res["cpp"], "BM_ExporterMetrics", f"{n}/gzip:{gz}")
        cached[gz] = t
        rows.append(("render", f"Exporter::metrics between refreshes (cached), {'gzip' if gz else 'identity'} "
                               f"({cb['sent_bytes'] / 1e6:.2f} MB sent)", f"{t * 1e3:.3f} ms"))
    for level, what in (("-1", "zlib default level"), ("1", "zlib level 1")):
        t, gb = cpp_time(res["cpp"], "BM_WholeBodyGzip", f"{n}/level:{level}")
        rows.append(("render", f"  for scale: gzip of the whole body on every scrape, {what} ({gb['gzip_bytes'] / 1e6:.2f} MB)",
                     f"{t * 1e3:.1f} ms"))
    for m in (3, 6):
        rows.append(("render", f"prometheus_client generate_latest, {n} x {m} gauges ({py[m]['series']} series)",
                     f"{py[m]['seconds'] * 1e3:.1f} ms, with gzip {py[m]['gzip_seconds'] * 1e3:.1f} ms"))
    rows.append(("render", "ratio python(6 gauges, gzip) / C++ gzip scrape: after a change; between refreshes",
                 f"{py[6]['gzip_seconds'] / ch_s:.1f}x; {py[6]['gzip_seconds'] / cached[1]:.0f}x"))
    for size in sorted({int(x["run_name"].split("/")[1]) for x in res["cpp"]["benchmarks"]
                        if x["run_name"].startswith("BM_ExporterMetricsChanged/")}):
        if size != n:
            t, _ = cpp_time(res["cpp"], "BM_ExporterMetricsChanged", size)
            tc, _ = cpp_time(res["cpp"], "BM_ExporterMetrics", f"{size}/gzip:1")
            rows.append(("render", f"Exporter::metrics, {size} invitees: after a change; cached gzip",
                         f"{t * 1e3:.2f} ms; {tc * 1e3:.3f} ms"))
    base = res.get("baseline")
    if base:
        bt, bb = cpp_time(base["cpp"], "BM_ExporterMetrics", n)
        rows.append(("before", f"baseline Exporter::metrics, {n} invitees, rendered on every scrape (plain)",
                     f"{bt * 1e3:.1f} ms"))
        gz = [x for x in base["cpp"]["benchmarks"] if x["run_name"].startswith(f"BM_ExporterMetricsGzip/{n}/level:-1")]
        if gz:
            gt, _ = cpp_time(base["cpp"], "BM_ExporterMetricsGzip", f"{n}/level:-1")
            rows.append(("before", "baseline + gzip at zlib's default level, as it served", f"{gt * 1e3:.1f} ms"))
        rows.append(("after", "gzip scrape between refreshes / baseline plain render (goal <= 1.5)",
                     f"{cached[1] / bt:.4f}"))
        rows.append(("after", "gzip scrape right after a change / baseline plain render", f"{ch_s / bt:.2f}"))
    runs = [("", res)] + ([("baseline ", base)] if base else [])
    for label, r in runs:
        h = r["http"]
        rows.append(("http", f"{label}HTTP GET /metrics via the binary, plain / gzip "
                             f"({h['plain']['bytes'] / 1e6:.1f} / {h['gzip']['bytes'] / 1e6:.2f} MB)",
                     f"{h['plain']['seconds'] * 1e3:.1f} ms / {h['gzip']['seconds'] * 1e3:.1f} ms"))
    for label, r in runs:
        ld = r["load"]
        rows.append(("load", f"{label}200 scrapers (wrk, gzip) for {ld['seconds']} s: scrapes/s, p99, non-2xx",
                     f"{ld['per_second']:.0f}/s, {ld['p99_ms']:.1f} ms, {ld['non2xx']}"))
    for label, r in runs:
        big = max(r["memory"], key=int)
        v = r["memory"][big]
        rows.append(("memory", f"{label}exporter RSS steady vs peak, {big} invitees (filled and scraped with gzip)",
                     f"{v['VmRSS'] / 1024:.1f} MiB vs {v['VmHWM'] / 1024:.1f} MiB = {v['VmHWM'] / v['VmRSS']:.2f}x"))
    for name, arg in (("BM_ParseInviteePage", "100"), ("BM_ParseInviteePage", "1000")):
        t, _ = cpp_time(res["cpp"], name, arg)
        rows.append(("parse", f"parse_invitee_page, {arg} rows", f"{t * 1e6:.0f} us ({int(arg) / t / 1e3:.0f} k rows/s)"))
    for arg in ("12", "1000"):
        t, _ = cpp_time(res["cpp"], "BM_ParseSubAccounts", arg)
        rows.append(("parse", f"parse_sub_accounts, {arg} rows", f"{t * 1e6:.1f} us"))
    t, _ = cpp_time(res["cpp"], "BM_AppendValue", "")
    rows.append(("writer", "append_value (shortest round trip), per value", f"{t / 1024 * 1e9:.0f} ns"))
    t, _ = cpp_time(res["cpp"], "BM_RenderLabels", "")
    rows.append(("writer", "render_labels {account,quote,uid}", f"{t * 1e9:.0f} ns"))
    t, wb = cpp_time(res["cpp"], "BM_FamilySetWrite", "invitees:50000")
    rows.append(("writer", "FamilySet: 50000 invitees x 3 gauges written and rendered",
                 f"{t * 1e3:.1f} ms ({wb['items_per_second'] / 1e6:.1f} M series/s)"))
    mem = res["memory"]
    for k in sorted(mem, key=int):
        v = mem[k]
        extra = f", {v['bytes_per_row']:.0f} B/row" if int(k) else ""
        rows.append(("memory", f"exporter RSS after fill + 1 scrape, {k} invitees",
                     f"{v['VmRSS'] / 1024:.1f} MiB (peak {v['VmHWM'] / 1024:.1f}){extra}"))
    for h in res["heap"]["sizes"]:
        rows.append(("memory", f"heap in use per cached row (in-process, mallinfo2), {h['invitees']} invitees",
                     f"{h['heap_bytes_per_row']:.0f} B/row ({h['heap_bytes'] / 1e6:.2f} MB)"))
    g = res["heap"]["growth"]["after_refresh"]
    picks = [r for r in g if r["refresh"] in (1, 2, 5, 10, 15, 20) or r is g[-1]]
    rows.append(("memory", f"heap in use after full refreshes of {res['heap']['growth']['invitees']} invitees (MB)",
                 " ".join(f"#{r['refresh']}:{r['heap_bytes'] / 1e6:.3f}" for r in picks)))
    for run in res["growth"]:
        g = run["rows"]
        picks = [r for r in g if r["refresh"] in (1, 2, 5, 10, 15, 20) or r is g[-1]]
        env = " ".join(f"{k}={v}" for k, v in run["env"].items()) or "default malloc"
        rows.append(("memory", f"RSS over {len(g)} full refreshes of {run['invitees']} invitees, {env} (MiB)",
                     " ".join(f"#{r['refresh']}:{r['VmRSS'] / 1024:.1f}" for r in picks)))
    for r in res["refresh"]:
        rows.append(("refresh", f"{r['invitees']} invitees, {r['pages']} pages, [{r['label']}]",
                     f"{r['seconds']:.1f} s vs {r['ideal_seconds']:.0f} s ideal = {r['ratio']:.3f}x (target <= 1.05)"))
        rows.append(("refresh", "  scrapes / pages per scrape",
                     f"{r['scrapes']} / {' '.join(str(int(x)) for x in r['per_scrape_pages'])}"))
        rows.append(("refresh", "  idle between scrapes / time inside scrapes / pace inside",
                     f"{r['gap_seconds']:.1f} s / {r['in_scrape_seconds']:.1f} s / {r['pace_per_s']:.3f} req/s"))
        rows.append(("refresh", "  longest scrape (gzip, as Prometheus asks) vs its timeout",
                     f"{r['longest_scrape']:.2f} s vs {r['timeout']:.0f} s"))
        rows.append(("refresh", "  mean latency, simulator violations, 29001 answers",
                     f"{r['mean_latency_ms']:.1f} ms, {r['violations']}, {r['rate_limited']}"))
    rows += cold_start_rows(res["cold_start"])
    import flood
    rows += flood.report_rows(res["flood"])
    w = max(len(r[1]) for r in rows)
    print()
    print(f"coinw-exporter benchmarks ({res['mode']} mode)")
    print_machine(res["machine"])
    print(f"{'area':8} {'figure':{w}}  value")
    print(f"{'-' * 8} {'-' * w}  {'-' * 40}")
    for area, what, value in rows:
        print(f"{area:8} {what:{w}}  {value}")
    for out in res.get("passes", []):
        print()
        print(out, end="")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
