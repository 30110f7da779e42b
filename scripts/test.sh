#!/usr/bin/env bash
# Builds everything and runs every test (unit, integration, rules, end-to-end).
# Extra arguments go to ctest, e.g. `scripts/test.sh -R ClientSim`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
