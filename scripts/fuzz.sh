#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang, ASan and UBSan, and runs
# each for a bounded time: scripts/fuzz.sh [seconds-per-target] (default 30).
# Each run starts from a copy of the committed corpus, so CI never grows it;
# crash, timeout and out-of-memory inputs land in build-fuzz/artifacts/.
# Exits non-zero if any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
scripts/install-deps.sh

build=build-fuzz
# target:dictionary:max_len. Lengths leave room above the largest seed; longer
# inputs only slow the search down without reaching new code.
targets=(
  fuzz_invitee_page:json.dict:16384
  fuzz_sub_accounts:json.dict:16384
  fuzz_text_repair:json.dict:4096
  fuzz_config:config.dict:16384
  fuzz_web_config:web_config.dict:4096
  fuzz_label_escaping:labels.dict:1024
  fuzz_state_file:json.dict:16384
)

cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBUILD_TESTING=OFF -DCOINW_FUZZ=ON -DCOINW_SANITIZE=address,undefined >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]%%:*}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$build/artifacts" "$build/logs"
failed=()
for spec in "${targets[@]}"; do
  IFS=: read -r target dict max_len <<<"$spec"
  work="$build/corpus/$target"
  rm -rf "$work" && mkdir -p "$work"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  log="$build/logs/$target.log"
  status=0
  "$build/tests/fuzz/$target" "$work" -dict="tests/fuzz/$dict" -max_len="$max_len" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
  if ((status == 0)); then
    echo "fuzz: $target ok: ${execs:-?} execs in ${seconds}s, ${cov:-no coverage line}"
  else
    echo "fuzz: $target FAILED (exit $status): ${execs:-?} execs, ${cov:-no coverage line}; log $log"
    grep -E 'ERROR|SUMMARY|property violated|runtime error|Test unit written' "$log" | head -20 || true
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}; reproduce with $build/tests/fuzz/<target> <artifact>" >&2
  exit 1
fi
