#!/usr/bin/env bash
# The .deb as users get it: build it (scripts/package-app.sh --bundles deb), install it with apt
# (which resolves its dependencies), start the installed /usr/bin/quanze-desktop under Xvfb in an
# empty home folder (a first run: no database yet), check that its window appears, draws a page
# that is not blank and shows the first-run screen (scripts/check_installed_app.py), then remove
# the package. Prints the package's size, its installed size and how long each step took.
#
# Usage: scripts/check-deb.sh [--no-build] [--shot FILE]
#   --no-build   check the .deb already in $CARGO_TARGET_DIR/release/bundle/deb/
#   --shot FILE  where the screenshot goes (default tests/artifacts/deb-first-run.png): look at it
#
# Needs root (or sudo) for apt-get; refuses to run when a package named quanze is already
# installed, since it removes the package at the end. See docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
build=1
shot="$root/tests/artifacts/deb-first-run.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --shot) shot="$(realpath -m "$2")"; shift ;;
    *) echo "check-deb: unknown argument $1 (usage: scripts/check-deb.sh [--no-build] [--shot FILE])" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "check-deb: $*" >&2; }
if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
apt() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
installed() { dpkg-query -W -f='${Status}' quanze 2>/dev/null | grep -q 'install ok installed'; }

# The tools of the window check, installed like `cargo xtask test` installs its packages.
missing=()
for pair in Xvfb:xvfb xdotool:xdotool xwd:x11-apps xwininfo:x11-utils python3:python3; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt update -q && apt install -y -q --no-install-recommends "${missing[@]}"
fi

if installed; then
  say "a package named quanze is already installed ($(dpkg-query -W -f='${Version}' quanze)); this check would remove it: remove it first (apt-get remove quanze)"
  exit 1
fi

started=$(date +%s)
if [ "$build" = 1 ]; then
  scripts/package-app.sh --bundles deb
fi
built=$(date +%s)
deb=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/quanze_*.deb 2>/dev/null | head -n 1 || true)
[ -n "$deb" ] || { say "no .deb under $CARGO_TARGET_DIR/release/bundle/deb/"; exit 1; }
deb_bytes=$(stat -c %s "$deb")
installed_kib=$(dpkg-deb -f "$deb" Installed-Size)
say "package $deb: $deb_bytes bytes, Installed-Size $installed_kib KiB, Depends: $(dpkg-deb -f "$deb" Depends)"

# From here on the package is removed again whatever happens.
remove() {
  if installed; then
    say "removing the package"
    apt remove -y -q quanze >/dev/null
  fi
}
trap remove EXIT

# apt-get wants a path with a slash to take the argument as a file, not a package name.
apt install -y -q --no-install-recommends "$(realpath "$deb")"
installed || { say "dpkg does not list quanze as installed after apt-get install"; exit 1; }
installed_at=$(date +%s)
app=/usr/bin/quanze-desktop
[ -x "$app" ] || { say "$app is missing after the install"; exit 1; }
[ -f /usr/share/applications/quanze.desktop ] || { say "the menu entry quanze.desktop is missing"; exit 1; }
grep -qx 'Exec=quanze-desktop' /usr/share/applications/quanze.desktop \
  || { say "the menu entry does not start quanze-desktop"; exit 1; }
# Every file of the UI embedded in the installed binary unpacks.
assets=$("$app" --check-embedded-assets | wc -l)
[ "$assets" -gt 0 ] || { say "$app embeds no UI files"; exit 1; }
say "$app: $assets embedded UI files unpack"

result=$(python3 scripts/check_installed_app.py "$app" --shot "$shot") || { echo "$result"; exit 1; }
echo "$result"
checked=$(date +%s)

remove
trap - EXIT
if installed || [ -e "$app" ]; then
  say "the package is still installed after apt-get remove"
  exit 1
fi
say "OK: built in $((built - started)) s, installed in $((installed_at - built)) s, started and checked in $((checked - installed_at)) s, removed; total $(( $(date +%s) - started )) s"
say "package: $(basename "$deb"), $deb_bytes bytes; Installed-Size $installed_kib KiB; screenshot: $shot"
