#!/usr/bin/env bash
# The README's pictures of the app (docs/screenshots) from the screenshots the end-to-end tests
# take (tests/artifacts, written by src-tauri/tests/e2e.rs's screenshot()). Run the E2E suite
# first (cargo xtask test, or the E2E command in the README), then this; look at every picture
# before committing (a test that passed can still have caught a half-drawn screen).
#
#   scripts/refresh-screenshots.sh [ARTIFACTS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ARTIFACTS="${1:-tests/artifacts}"

# README picture ← E2E screenshot
MAP=(
  "main-window:desktop-sample-list"
  "search:desktop-sample-search-content"
  "checks:desktop-checks-waived"
  "checks-overlap:desktop-checks-overlap"
  "tree-badges:desktop-checks-jump"
  "import-preview:desktop-import-preview"
  "paste:desktop-paste-block"
  "notice-screen:desktop-notice-preview"
  "org-chart-screen:desktop-orgchart-edited"
  "admission:desktop-admission"
  "admission-refused:desktop-admission-refused"
  "admission-pending:desktop-admission-pending"
  "admission-history:desktop-admission-history"
  "versions:desktop-versions"
  "change-request:desktop-changes-form"
  "change-approved:desktop-changes-approved"
  "change-transfer:desktop-changes-transfer"
  "statistics:desktop-statistics"
  "workspace:desktop-workspace-recent"
)
missing=0
for pair in "${MAP[@]}"; do
  picture="${pair%%:*}"
  shot="$ARTIFACTS/${pair#*:}.png"
  if [[ -f "$shot" ]]; then
    cp "$shot" "docs/screenshots/$picture.png"
    echo "docs/screenshots/$picture.png ← $shot"
  else
    echo "missing: $shot (did its E2E test run and pass?)" >&2
    missing=1
  fi
done
exit "$missing"
