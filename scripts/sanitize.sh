#!/usr/bin/env bash
# Builds the whole tree with sanitizers and runs the test suite against it:
#   scripts/sanitize.sh [asan|tsan|all]   (default all)
# asan: AddressSanitizer + LeakSanitizer + UBSan in build-asan, every C++ and
# end-to-end test; tsan: ThreadSanitizer in build-tsan, unit tests (see below).
# Any report fails the test that triggers it.
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
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"

# ops tests check no C++ (promtool, dashboards); load and bench measure speed
# and memory, which sanitizers distort by design.
excluded='^(ops|load|bench)$'
# TSan runs the unit tests only. The scrape path locks a std::timed_mutex with
# try_lock_until(steady_clock); libstdc++ implements that with
# pthread_mutex_clocklock, which TSan (GCC 12 and clang 14 alike) does not
# intercept (llvm/llvm-project#62623), so every integration and end-to-end test
# reports the unlock and then races on the data that mutex protects.
tsan_excluded='^(ops|load|bench|integration|e2e)$'

run() {
  local build=$1 sanitize=$2 excluded=$3
  shift 3
  echo "sanitize: $build (-fsanitize=$sanitize)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOINW_SANITIZE="$sanitize" >/dev/null
  cmake --build "$build" -j"$(nproc)"
  ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -LE "$excluded" "$@"
}

if [[ $mode == asan || $mode == all ]]; then
  run build-asan address,undefined "$excluded" "$@"
fi
if [[ $mode == tsan || $mode == all ]]; then
  run build-tsan thread "$tsan_excluded" "$@"
fi
