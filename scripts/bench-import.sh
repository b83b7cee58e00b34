#!/usr/bin/env bash
# Import and store benchmark (issue 14's table): builds the bench and the CLI in release mode,
# generates a 50,000-row legacy-style .xlsx, imports it into a fresh database, times LibreOffice
# (csv conversion) and openpyxl (read_only iteration) on the same file, times search over it,
# imports the real lists of ../shared/real-lists/, loads the sample district (in-process and
# with the CLI), and writes the figures into docs/benchmarks.md.
# Usage: scripts/bench-import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-50000}"
cargo build --release -p quanze-api --example bench_import
cargo build --release -p quanze-cli
exec "${CARGO_TARGET_DIR:-target}/release/examples/bench_import" --rows "$rows" --out "${TMPDIR:-/tmp}/quanze-bench" --write-docs docs/benchmarks.md
