#!/usr/bin/env bash
# Builds the whole tree with sanitizers and runs the test suite against it:
#   scripts/sanitize.sh [asan|tsan|all]   (default all)
# asan: AddressSanitizer + LeakSanitizer + UBSan in build-asan; tsan:
# ThreadSanitizer in build-tsan. Both run every unit, integration and
# end-to-end test; any report fails the test that triggers it.
# Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
[[ $# -gt 0 ]] && shift
case "$mode" in
  asan | tsan | all) ;;
  *) echo "usage: $0 [asan|tsan|all] [ctest args...]" >&2; exit 2 ;;
esac
scripts/install-deps.sh

supp="$PWD/tests/sanitizers"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$supp/lsan.supp"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# ignore_noninstrumented_modules: Debian's libcpp-httplib.so is not built with
# TSan, so the memcpy/memcmp it calls on buffers it hands between its own
# threads would be reported without the synchronisation that orders them.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$supp/tsan.supp"

# ops tests check no C++ (promtool, dashboards); load and bench measure speed
# and memory, which sanitizers distort by design; package and container build
# their own release binaries (a .deb, images), not the sanitized ones;
# alerting (e2e.alertmanager) tests Prometheus and Alertmanager and spends 90 s
# waiting out an exporter restart, while the exporter's part of it (scrapes,
# SIGTERM, a restart) runs sanitized in the other e2e tests.
excluded='^(ops|load|bench|package|container|alerting)$'

run() {
  local build=$1 sanitize=$2
  shift 2
  echo "sanitize: $build (-fsanitize=$sanitize)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOINW_SANITIZE="$sanitize" >/dev/null
  cmake --build "$build" -j"$(nproc)"
  ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -LE "$excluded" "$@"
}

# UBSan checks a vptr it has not seen by probing the memory through a pipe
# (sanitizer_common's IsAccessibleMemoryRange); the out-of-descriptors tests take
# every descriptor on purpose, so there it fails and reports "invalid vptr" for a
# valid object. TSan runs them.
if [[ $mode == asan || $mode == all ]]; then
  run build-asan address,undefined -E '^WebStage\.OutOfDescriptors' "$@"
fi
if [[ $mode == tsan || $mode == all ]]; then
  run build-tsan thread "$@"
fi
