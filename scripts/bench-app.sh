#!/usr/bin/env bash
# Desktop app benchmark: cold start, memory with a 50,000-item list, opening and scrolling it,
# edit → refreshed findings, the checks backend alone and LibreOffice as a peer. Builds the UI and
# the release binaries it needs, then runs scripts/bench_app.py, which drives the real window
# (tauri-driver + WebKitWebDriver under xvfb-run) and writes docs/benchmarks/app.md.
#
# Usage: scripts/bench-app.sh [--runs N] [--skip-peer]     (about 15 minutes with 5 runs, builds apart)
# Needs: the system packages of tests/e2e/README.md, tauri-driver, python3; LibreOffice optional.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# The app embeds ui/dist at compile time, so the UI is built first. `npm ci` only when
# node_modules is missing or older than the lock file (it deletes node_modules, which would
# break someone else's Vite or vitest run in the same work tree).
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
(cd ui && npm run build)

# The same binaries `tauri build` makes (release, custom protocol), the CLI that prepares the
# databases, and the import benchmark whose generator writes the 50,000-row workbook.
cargo build --release -p quanze-desktop -p quanze-cli --features quanze-desktop/custom-protocol
cargo build --release -p quanze-api --example bench_import

exec python3 scripts/bench_app.py "$@"
