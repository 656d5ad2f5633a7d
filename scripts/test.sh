#!/usr/bin/env bash
# The whole test suite: unit, integration (embedded PGlite, plus real PostgreSQL and Redis for the
# database and multi-instance tests), then a production build driven by Playwright in Chromium.
# Without TEST_DATABASE_URL a scratch database is created on the local PostgreSQL and dropped after.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  admin_url="${TEST_POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  scratch="briefing_test_$(date +%s)_$$"
  psql "$admin_url" -qc "create database $scratch"
  trap 'psql "$admin_url" -qc "drop database if exists $scratch with (force)" || true' EXIT
  export TEST_DATABASE_URL="${admin_url%/*}/$scratch"
fi

echo "== unit"
npx vitest run --project unit
echo "== integration (PGlite and PostgreSQL, Redis at ${TEST_REDIS_URL:-redis://127.0.0.1:6379})"
npx vitest run --project integration
echo "== build"
npx next build > /tmp/briefing-build.log 2>&1 || { cat /tmp/briefing-build.log; exit 1; }
echo "== e2e (Chromium)"
npx playwright test
