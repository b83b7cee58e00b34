#!/usr/bin/env bash
# Import benchmark: builds the bench in release mode, generates a 50,000-row legacy-style
# .xlsx, imports it into a fresh database, times LibreOffice (csv conversion) and openpyxl
# (read_only iteration) on the same file, and writes the figures into docs/benchmarks.md.
# Usage: scripts/bench-import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-50000}"
cargo build --release -p quanze-api --example bench_import
exec "${CARGO_TARGET_DIR:-target}/release/examples/bench_import" --rows "$rows" --out "${TMPDIR:-/tmp}/quanze-bench" --write-docs docs/benchmarks.md
