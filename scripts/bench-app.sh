#!/usr/bin/env bash
# Desktop app benchmark: cold start, memory with a 50,000-item list, opening and scrolling it,
# edit → refreshed findings, the checks backend alone and LibreOffice as a peer; then memory
# against the floor of an empty Tauri window (scripts/bench-floor/) and over a tour of every
# screen. Builds the UI and the release binaries it needs, then runs scripts/bench_app.py, which
# drives the real window (tauri-driver + WebKitWebDriver under xvfb-run; the tour with the X
# mouse and keyboard, scripts/bench_mouse_tour.py) and writes docs/benchmarks/app.md.
#
# Usage: scripts/bench-app.sh [--runs N] [--skip-peer] [--tour-minutes M] [--tour-variants on,off] [--memory-only]
#   about 15 minutes with 5 runs, plus the tour (30 minutes for each variant; DURATION=5m
#   shortens it), builds apart
# Needs: the system packages of tests/e2e/README.md, tauri-driver, xdotool, python3; LibreOffice
# and ImageMagick (the tour's screenshots) optional.
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
# The floor: a project of its own (not a workspace member), with the workspace's lock file so
# that it gets the same tauri version as the app, and the app's tauri crates reused.
cp Cargo.lock scripts/bench-floor/Cargo.lock
cargo build --release --manifest-path scripts/bench-floor/Cargo.toml --features custom-protocol

exec python3 scripts/bench_app.py "$@"
