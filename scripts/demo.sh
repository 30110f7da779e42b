#!/usr/bin/env bash
# Builds the exporter and the CoinW simulator, starts both on loopback and
# leaves them running until Ctrl-C (or SIGTERM). Nothing here talks to the real
# CoinW.
#   scripts/demo.sh                    install dependencies, build in build/, run
#   scripts/demo.sh --build-dir DIR    run the binaries already built in DIR
# Ports: COINW_SIM_PORT (default 8790), COINW_EXPORTER_PORT (default 9866).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=""
case "${1:-}" in
  "") ;;
  --build-dir) build_dir=${2:?--build-dir needs a directory} ;;
  *) echo "usage: $0 [--build-dir DIR]" >&2; exit 2 ;;
esac
if [[ -z $build_dir ]]; then
  build_dir=build
  scripts/install-deps.sh
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target coinw_exporter coinw-sim
fi

sim_port=${COINW_SIM_PORT:-8790}
exporter_port=${COINW_EXPORTER_PORT:-9866}
# config/demo.yml names the simulator's default port; the copy names the one in use.
config=$(mktemp --suffix=.yml)
pids=()
cleanup() {
  if ((${#pids[@]})); then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rm -f "$config"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
sed "s|http://127.0.0.1:8790|http://127.0.0.1:${sim_port}|" config/demo.yml >"$config"

"$build_dir/src/app/coinw-sim" --listen="127.0.0.1:${sim_port}" &
pids+=($!)

cat <<MSG

coinw-exporter demo (simulated CoinW with seeded data)
  metrics:       http://127.0.0.1:${exporter_port}/metrics
  landing page:  http://127.0.0.1:${exporter_port}/
  simulator:     http://127.0.0.1:${sim_port}/admin/dataset
  freeze a sub-account and watch coinw_sub_account_frozen change:
    curl -X POST http://127.0.0.1:${sim_port}/admin/sub-accounts/\$(curl -s http://127.0.0.1:${sim_port}/admin/dataset | python3 -c 'import json,sys; print(json.load(sys.stdin)["subAccounts"][0]["spotUid"])')/freeze
Press Ctrl-C to stop.

MSG
"$build_dir/src/app/coinw_exporter" --config.file="$config" --web.listen-address="127.0.0.1:${exporter_port}" &
pids+=($!)
# Returns when either process ends (or a signal arrives); the trap stops the other.
wait -n "${pids[@]}"
