#!/usr/bin/python3
"""Scrape latency while one client holds N misbehaving connections (issue 22).

For each N and each kind, against the exporter binary with INVITEES invitees cached
in both quotes:

  half-sent  connections that send "GET /metrics HTTP/1.1" and one header, then nothing
  idle       kept-alive connections that made one request (/-/healthy) and stay open
  slow       connections that ask for /metrics (no gzip: the whole body) and never read

it opens the N connections, waits until the exporter has dealt with them (its CPU
time stops moving), then times well-behaved scrapes (Prometheus' headers, gzip; and
one without gzip), closes the N connections and looks at the exporter again: alive,
resident memory and heap in use back at their steady level.

Figures are printed, never asserted. Standard library only:
  bench/flood.py --build-dir build-bench [--sizes 100,1000,10000] [--invitees 5000]
bench/run.py runs it too (scripts/bench.sh, or scripts/bench.sh --only flood; --smoke
runs N = 50 with 500 invitees, for ctest's bench_smoke).
"""
import argparse
import os
import resource
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the Stack, fill and machine helpers of the other benchmarks)

KINDS = ("half-sent", "idle", "slow")
HEAP = "coinw_exporter_heap_inuse_bytes"
SCRAPES = 5  # well-behaved scrapes timed per scenario


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def settle(pid, limit_s=300):
    """Seconds until the process's CPU time stops moving (under 4% of a core for 0.5 s)."""
    t0 = time.monotonic()
    hz = os.sysconf("SC_CLK_TCK")
    last = cpu_ticks(pid)
    while time.monotonic() - t0 < limit_s:
        time.sleep(0.5)
        now = cpu_ticks(pid)
        if now - last <= 0.02 * hz:
            return time.monotonic() - t0
        last = now
    return time.monotonic() - t0


def connect(port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    # Closed with a reset, so that thousands of closes leave no TIME_WAIT ports behind.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.settimeout(30)
    s.connect(("127.0.0.1", port))
    return s


def open_connections(kind, port, n):
    socks = []
    for _ in range(n):
        if kind == "half-sent":
            s = connect(port)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: bench\r\n")
        elif kind == "idle":
            s = connect(port)
            s.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: bench\r\n\r\n")
            answer = b""
            while not answer.endswith(b"OK\n"):
                chunk = s.recv(4096)
                if not chunk:
                    raise RuntimeError("idle connection closed before its answer")
                answer += chunk
        else:
            s = connect(port, rcvbuf=4096)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n")
        socks.append(s)
    return socks


def still_open(socks, kind):
    """How many the exporter has not closed (a slow reader always has bytes to read: not counted)."""
    if kind == "slow":
        return len(socks)
    p = select.poll()
    for s in socks:
        p.register(s, select.POLLIN)
    return len(socks) - len(p.poll(0))


def timed(stack, gzip_ok):
    t = time.monotonic()
    body, _ = stack.scrape(timeout_header=10, gzip_ok=gzip_ok)
    return time.monotonic() - t, len(body)


def steady(stack):
    """Resident memory (KiB) and heap in use (bytes) at rest."""
    settle(stack.exporter.pid)
    heap = stack.metrics(timeout_header=10, gzip_ok=True)[HEAP]
    settle(stack.exporter.pid)
    return run.rss_kib(stack.exporter.pid)["VmRSS"], heap


def scenario(stack, kind, n):
    rss0, heap0 = steady(stack)
    t = time.monotonic()
    socks = open_connections(kind, stack.port, n)
    opened = time.monotonic() - t
    try:  # while the exporter may still be busy with them
        first = timed(stack, True)[0] * 1e3
    except OSError:
        first = None
    handled = settle(stack.exporter.pid)
    gz = [timed(stack, True) for _ in range(SCRAPES)]
    plain = timed(stack, False)
    rss_with = run.rss_kib(stack.exporter.pid)["VmRSS"]
    remaining = still_open(socks, kind)
    for s in socks:
        s.close()
    alive = stack.exporter.poll() is None
    rss1, heap1 = steady(stack) if alive else (0, 0)
    lat = sorted(x for x, _ in gz)
    r = {"kind": kind, "n": n, "open_s": opened, "first_ms": first, "handled_s": handled, "still_open": remaining,
         "gzip_ms": [x * 1e3 for x in lat], "gzip_bytes": gz[0][1], "plain_ms": plain[0] * 1e3,
         "plain_bytes": plain[1], "alive": alive, "rss_kib": [rss0, rss_with, rss1], "heap": [heap0, heap1],
         "load": os.getloadavg()}
    run.log(f"flood {kind} x{n}: open {opened:.1f}s, first scrape {fmt_ms(first)}, handled {handled:.1f}s, "
            f"{remaining} still open; "
            f"scrape gzip median {lat[len(lat) // 2] * 1e3:.0f} ms max {lat[-1] * 1e3:.0f} ms, "
            f"plain {plain[0] * 1e3:.0f} ms; RSS {rss0 // 1024} -> {rss_with // 1024} -> {rss1 // 1024} MiB; "
            f"heap {heap0 / 1e6:.1f} -> {heap1 / 1e6:.1f} MB; alive {alive}")
    return r


def fmt_ms(ms):
    return "no answer" if ms is None else f"{ms:.0f} ms"


def bench_flood(build, sizes, invitees):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if max(sizes) + 256 > hard:
        raise RuntimeError(f"open-files limit {hard} is below {max(sizes)} connections (raise `ulimit -Hn`)")
    run.log(f"flood: {invitees} invitees cached, N = {sizes}, kinds {', '.join(KINDS)}")
    # Both quotes, as the 5.4 MB body of 5,000 invitees had.
    st = run.Stack(build, invitees, sim_args=run.FAST_SIM, global_yaml=run.FAST_GLOBAL,
                   invitee_yaml="page_size: 1000, min_refresh_interval: 24h", quotes=("usdt", "usdc"))
    try:
        run.fill(st)
        base = sorted(timed(st, True)[0] for _ in range(SCRAPES))
        out = {"invitees": invitees, "base_gzip_ms": [x * 1e3 for x in base], "runs": []}
        for n in sizes:
            for kind in KINDS:
                out["runs"].append(scenario(st, kind, n))
                if not out["runs"][-1]["alive"]:
                    raise RuntimeError(f"the exporter died during {kind} x{n}")
        return out
    finally:
        st.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def report_rows(res):
    rows = []
    b = res["base_gzip_ms"]
    rows.append(("flood", f"scrape of {res['invitees']} invitees cached, nothing else open: gzip median / max",
                 f"{b[len(b) // 2]:.0f} / {b[-1]:.0f} ms"))
    for r in res["runs"]:
        g = r["gzip_ms"]
        rss, heap = r["rss_kib"], r["heap"]
        rows.append(("flood", f"{r['n']:>6} {r['kind']:9}: scrape gzip ({r['gzip_bytes'] / 1e6:.1f} MB) median / max, "
                              f"plain ({r['plain_bytes'] / 1e6:.1f} MB)",
                     f"{g[len(g) // 2]:.0f} / {g[-1]:.0f} ms, {r['plain_ms']:.0f} ms"))
        rows.append(("flood", f"{'':>6} {'':9}  opened in; first scrape right after; all handled in; still open",
                     f"{r['open_s']:.1f} s; {fmt_ms(r['first_ms'])}; {r['handled_s']:.1f} s; {r['still_open']}"))
        rows.append(("flood", f"{'':>6} {'':9}  RSS before / with / after (MiB); heap before / after (MB)",
                     f"{rss[0] / 1024:.0f} / {rss[1] / 1024:.0f} / {rss[2] / 1024:.0f}; "
                     f"{heap[0] / 1e6:.1f} / {heap[1] / 1e6:.1f}"))
        rows.append(("flood", f"{'':>6} {'':9}  load average after", " ".join(f"{x:.2f}" for x in r["load"])))
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", required=True)
    p.add_argument("--sizes", default="100,1000,10000")
    p.add_argument("--invitees", type=int, default=5000)
    args = p.parse_args()
    build = os.path.abspath(args.build_dir)
    run.print_machine(run.machine(build))
    run.print_rows(report_rows(bench_flood(build, [int(x) for x in args.sizes.split(",")], args.invitees)))


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, OSError) as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
