#!/usr/bin/env bash
# Builds a Release tree in build-bench and runs every benchmark (refresh against the
# simulator's real rate limits, render versus prometheus_client, memory, parsers),
# printing one table. Full mode takes about 13 minutes, mostly two refresh runs of
# 100,000 invitees at CoinW's 5 requests/s; --smoke runs tiny sizes in seconds.
# Figures are printed, never asserted. `--baseline REV` also builds revision REV
# (a git worktree in build-bench-baseline) and measures it in the same run, for
# before/after figures. Extra arguments go to bench/run.py (e.g. --skip-refresh,
# --json FILE).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
baseline=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) mode=(--smoke); shift ;;
    --baseline) baseline=("$2"); shift 2 ;;
    *) break ;;
  esac
done

scripts/install-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target coinw_exporter coinw-sim coinw_bench coinw_passes_bench
if ((${#baseline[@]})); then
  src=build-bench-baseline/src
  [[ -d $src ]] || git worktree add --detach "$src" "${baseline[0]}" >/dev/null
  git -C "$src" checkout -q --detach "${baseline[0]}"
  cmake -S "$src" -B build-bench-baseline/build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  cmake --build build-bench-baseline/build -j"$(nproc)" --target coinw_exporter coinw-sim coinw_bench
  mode+=(--baseline-build build-bench-baseline/build)
fi
# Debian's python3-prometheus-client belongs to the system interpreter, not to
# whatever python3 comes first on PATH.
exec /usr/bin/python3 bench/run.py --build-dir build-bench "${mode[@]}" "$@"
