#!/usr/bin/env bash
# Package the desktop app with the Tauri CLI: on Linux a .deb and an AppImage
# (src-tauri/tauri.linux.conf.json), on Windows an .msi (src-tauri/tauri.windows.conf.json).
# See docs/packaging.md for the prerequisites and what it produces.
#
# Usage: scripts/package-app.sh [extra `tauri build` arguments, e.g. --bundles deb, --verbose]
#
# The Tauri CLI comes from npm (prebuilt binary, no `cargo install`), pinned here and not added to
# ui/package.json: the npm registry reachable here lacks the CLI's non-Linux platform packages,
# which would make `npm ci` in ui/ refuse the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
tauri_cli="${TAURI_CLI_PACKAGE:-@tauri-apps/cli@^2.12}"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
# linuxdeploy (which the CLI downloads to build the AppImage) is itself an AppImage: without FUSE
# (containers, CI) it must extract itself and run, instead of mounting.
export APPIMAGE_EXTRACT_AND_RUN=1

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "package-app: '$1' not found: $2" >&2; exit 1; }
}
need npm "install Node.js 20 or newer"
need cargo "install Rust (https://rustup.rs)"
if [ "$(uname -s)" = Linux ]; then
  need file "apt-get install file (linuxdeploy uses it)"
  need pkg-config "apt-get install pkg-config libwebkit2gtk-4.1-dev (see docs/packaging.md)"
  pkg-config --exists webkit2gtk-4.1 || { echo "package-app: webkit2gtk-4.1 development files missing: apt-get install libwebkit2gtk-4.1-dev" >&2; exit 1; }
fi

# tauri.conf.json's beforeBuildCommand runs `npm ci && npm run build` in ui/. `npm ci` deletes and
# reinstalls ui/node_modules, which breaks a Vite or vitest run someone else has going in the same
# work tree; when node_modules is already newer than the lock file it is skipped.
config_args=()
if [ -f ui/node_modules/.package-lock.json ] && [ ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
  echo "package-app: ui/node_modules is up to date with ui/package-lock.json: running only npm run build"
  config_args=(--config '{"build":{"beforeBuildCommand":{"script":"npm run build","cwd":"../ui"}}}')
fi

started=$(date +%s)
status=0
(cd src-tauri && npm exec --yes --package="$tauri_cli" -- tauri build "${config_args[@]}" "$@") || status=$?
echo "package-app: tauri build ended with status $status after $(( $(date +%s) - started )) s"

bundle="$CARGO_TARGET_DIR/release/bundle"
found=0
for artifact in "$bundle"/deb/*.deb "$bundle"/appimage/*.AppImage "$bundle"/msi/*.msi; do
  [ -f "$artifact" ] || continue
  found=1
  printf '%s\t%s\n' "$(du -h "$artifact" | cut -f1)" "$artifact"
done
[ "$found" = 1 ] || { echo "package-app: no package found under $bundle" >&2; exit 1; }
if [ "$status" != 0 ]; then
  # The .deb is written before the AppImage, whose tools the bundler downloads from GitHub: the
  # packages listed above are complete, the rest failed (see docs/packaging.md).
  echo "package-app: not every package was built (only the ones listed above)" >&2
  exit "$status"
fi
