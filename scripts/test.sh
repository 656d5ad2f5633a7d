#!/usr/bin/env bash
# The whole test suite: unit, integration (embedded PGlite always; real PostgreSQL too when
# TEST_DATABASE_URL is set), then a production build driven by Playwright in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== unit"
npx vitest run --project unit
echo "== integration (PGlite${TEST_DATABASE_URL:+ and PostgreSQL})"
npx vitest run --project integration
echo "== build"
npx next build > /tmp/briefing-build.log 2>&1 || { cat /tmp/briefing-build.log; exit 1; }
echo "== e2e (Chromium)"
npx playwright test
