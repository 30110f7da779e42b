#!/usr/bin/python3
"""The reference point for the render benchmark: the same invitee series as the
exporter's /metrics, rendered by the official Python client (Debian's
python3-prometheus-client, so run it with /usr/bin/python3).

Prints one JSON object: the best-of-N time (wall and CPU) of generate_latest per
metric count, and of generate_latest plus gzip.compress, which is what the
client's HTTP handler does for a scraper that accepts gzip.
"""
import argparse
import gzip
import json
import sys
import time

from prometheus_client import CollectorRegistry, Gauge, generate_latest

# The exporter's per-invitee gauges; the first three are the business core
# (deposit, withdrawal, balance) the target is stated for.
METRICS = [
    ("coinw_invitee_total_deposit", "Total deposits of a direct invitee, in the quote currency."),
    ("coinw_invitee_total_withdrawal", "Total withdrawals of a direct invitee, in the quote currency."),
    ("coinw_invitee_current_balance", "Current balance of a direct invitee, in the quote currency."),
    ("coinw_invitee_first_deposit_amount", "First deposit of a direct invitee, in the quote currency."),
    ("coinw_invitee_first_deposit_timestamp_seconds", "Time of a direct invitee's first deposit, unix seconds."),
    ("coinw_invitee_balance_update_timestamp_seconds", "Time CoinW last updated a direct invitee's balance."),
]


def uids(n):
    # Shaped like the simulator's: 8-digit, increasing, irregular gaps.
    uid, out = 10_000_000, []
    for i in range(n):
        out.append(str(uid))
        uid += 1 + (i * 7919) % 5000
    return out


def build(n, metric_count):
    registry = CollectorRegistry()
    ids = uids(n)
    for k, (name, help_text) in enumerate(METRICS[:metric_count]):
        g = Gauge(name, help_text, ["account", "quote", "uid"], registry=registry)
        for i, uid in enumerate(ids):
            g.labels("bench", "usdt", uid).set(1234.5678 + i * 0.01 + k)
    return registry


def best_of(registry, repeat, compress=False):
    """Best wall time and best CPU time (the latter is immune to other load on the machine)."""
    best, best_cpu, size = float("inf"), float("inf"), 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        body = generate_latest(registry)
        if compress:
            body = gzip.compress(body)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        size = len(body)
    return best, best_cpu, size


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--invitees", type=int, default=50000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--metrics", default="3,6", help="metric counts to time, e.g. 3,6")
    args = p.parse_args()
    result = {"invitees": args.invitees, "python": sys.version.split()[0], "runs": []}
    for m in (int(x) for x in args.metrics.split(",")):
        t0 = time.perf_counter()
        registry = build(args.invitees, m)
        built = time.perf_counter() - t0
        seconds, cpu_seconds, size = best_of(registry, args.repeat)
        gz_seconds, gz_cpu_seconds, gz_size = best_of(registry, args.repeat, compress=True)
        result["runs"].append({"metrics": m, "series": m * args.invitees, "seconds": seconds, "cpu_seconds": cpu_seconds,
                               "body_bytes": size, "gzip_seconds": gz_seconds, "gzip_cpu_seconds": gz_cpu_seconds,
                               "gzip_bytes": gz_size, "build_seconds": built, "repeat": args.repeat})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
