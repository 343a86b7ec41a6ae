#!/usr/bin/env bash
# Runs every check the project has, in order: typecheck, lint, unit tests (Vitest), build, browser tests
# (Playwright in the system's Chromium). A failing step is recorded and the later steps still run (the browser
# tests need the build, so they are skipped, and counted as failed, when it fails). The last line printed is
#   N passed, N failed, N skipped
# counting every Vitest and Playwright test, plus 1 failed for each failed typecheck/lint/build step or test
# runner that crashed without a report. Exit status is non-zero when anything failed.
#
# Environment: PINSCOPE_CHROMIUM (or CHROME_PATH) = path to a Chromium/Chrome binary; default /usr/bin/chromium.
set -uo pipefail

cd "$(dirname "$0")/.."
RESULTS=test-results
mkdir -p "$RESULTS"
rm -f "$RESULTS/vitest.json" "$RESULTS/playwright.json" "$RESULTS/steps.txt"

chromium="${PINSCOPE_CHROMIUM:-${CHROME_PATH:-/usr/bin/chromium}}"
if [ ! -x "$chromium" ]; then
  cat <<MSG
pinscope: no Chromium found at '$chromium'; the browser tests need one.
  Debian/Ubuntu:  sudo apt-get install -y --no-install-recommends chromium
  Elsewhere:      PINSCOPE_CHROMIUM=/path/to/chrome-or-chromium npm test
MSG
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
export PINSCOPE_CHROMIUM="$chromium"

# step NAME CMD...: runs CMD, records "NAME rc" in steps.txt.
step() {
  local name="$1"; shift
  echo
  echo "=== $name: $*"
  "$@"
  local rc=$?
  echo "$name $rc" >> "$RESULTS/steps.txt"
  if [ "$rc" -eq 0 ]; then echo "=== $name: ok"; else echo "=== $name: FAILED (exit $rc)"; fi
  return "$rc"
}

step typecheck npm run -s typecheck
step lint npm run -s lint
step unit npx vitest run --passWithNoTests \
  --reporter=default --reporter=json --outputFile.json="$RESULTS/vitest.json"
# The build step makes both the site (dist/) and the single-file copy (dist-single/, and its text in
# dist/pinscope-copy.js for the site's "Save a copy") that e2e/single.spec.ts opens.
build_all() { npm run -s build; }
if step build build_all; then
  # The first-picture JavaScript stays within 200 KB gzipped (scripts/bundle-budget.mjs).
  step budget npm run -s budget
  # PW_JSON makes playwright.config.ts add the JSON reporter (test-results/playwright.json).
  PW_JSON=1 step e2e npx playwright test --pass-with-no-tests
else
  echo "=== e2e: skipped (build failed)"
  echo "e2e skipped" >> "$RESULTS/steps.txt"
fi

echo
exec node scripts/summarize-tests.mjs "$RESULTS"
