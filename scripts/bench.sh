#!/usr/bin/env bash
# Builds a Release tree in build-bench and runs every benchmark (refresh against the
# simulator's real rate limits, render versus prometheus_client, memory, parsers),
# printing one table. Full mode takes about 13 minutes, mostly two refresh runs of
# 100,000 invitees at CoinW's 5 requests/s; --smoke runs tiny sizes in seconds.
# Figures are printed, never asserted. Extra arguments go to bench/run.py
# (e.g. --skip-refresh, --json FILE).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
if [[ "${1:-}" == "--smoke" ]]; then
  mode=(--smoke)
  shift
fi

scripts/install-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target coinw_exporter coinw-sim coinw_bench
# Debian's python3-prometheus-client belongs to the system interpreter, not to
# whatever python3 comes first on PATH.
exec /usr/bin/python3 bench/run.py --build-dir build-bench "${mode[@]}" "$@"
