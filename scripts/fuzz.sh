#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ one after another, one job each, each until it has made
# RUNS executions or SECONDS_EACH seconds have passed (libFuzzer's -runs / -max_total_time),
# starting from its committed seeds. The last lines of each run (executions, time, crash) go
# to fuzz/logs/<target>.log; record them in docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh [target …]        (default: every target)
#        RUNS=1000000 SECONDS_EACH=1800 scripts/fuzz.sh bundle_yaml
# Needs: cargo-fuzz (`cargo install cargo-fuzz`); stable Rust is enough (RUSTC_BOOTSTRAP=1).
# `-s none`: our crates forbid unsafe code, so AddressSanitizer would find little and would
# halve the executions; `-a` keeps debug assertions (integer overflow) on.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
RUNS="${RUNS:-1000000}"
SECONDS_EACH="${SECONDS_EACH:-1800}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(bundle_yaml bundle_json package_merge import_commit exporters workbook_rows)
fi
export RUSTC_BOOTSTRAP=1
mkdir -p logs
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "== $target: up to $RUNS runs or $SECONDS_EACH s" >&2
  # -rss_limit_mb: an input that needs more than 2 GiB is a finding (unbounded allocation).
  cargo fuzz run -s none -a "$target" "corpus/$target" "seeds/$target" -- \
    -runs="$RUNS" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=30 \
    -print_final_stats=1 2>&1 | tee "logs/$target.log" | grep -E '^(#[0-9]+.*(DONE|pulse)|Done|stat::|==|SUMMARY|.*panicked)' >&2 || true
done
