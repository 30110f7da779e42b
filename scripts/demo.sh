#!/usr/bin/env bash
# Builds the exporter and the CoinW simulator, starts both on loopback and
# leaves them running until Ctrl-C. Nothing here talks to the real CoinW.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target coinw_exporter coinw-sim

sim_port=${COINW_SIM_PORT:-8790}
exporter_port=${COINW_EXPORTER_PORT:-9866}
build/src/app/coinw-sim --listen="127.0.0.1:${sim_port}" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT

cat <<MSG

coinw-exporter demo (simulated CoinW with seeded data)
  metrics:       http://127.0.0.1:${exporter_port}/metrics
  landing page:  http://127.0.0.1:${exporter_port}/
  simulator:     http://127.0.0.1:${sim_port}/admin/dataset
  freeze a sub-account and watch coinw_sub_account_frozen change:
    curl -X POST http://127.0.0.1:${sim_port}/admin/sub-accounts/\$(curl -s http://127.0.0.1:${sim_port}/admin/dataset | python3 -c 'import json,sys; print(json.load(sys.stdin)["subAccounts"][0]["spotUid"])')/freeze
Press Ctrl-C to stop.

MSG
build/src/app/coinw_exporter --config.file=config/demo.yml --web.listen-address="127.0.0.1:${exporter_port}"
