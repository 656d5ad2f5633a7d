#!/usr/bin/env bash
# The whole test suite: unit, integration (embedded PGlite, plus real PostgreSQL and Redis for the
# database and multi-instance tests; poppler-utils, pandoc and LibreOffice to read exports back),
# then a production build driven by Playwright in Chromium.
#
# Prerequisites are checked first. Each missing one is named with the command that provides it;
# everything that does not need it still runs, and the run fails at the end naming what could not
# run. Under CI=true a missing prerequisite fails at once.
# Without TEST_DATABASE_URL a scratch database is created on the local PostgreSQL and dropped after.
set -uo pipefail
cd "$(dirname "$0")/.."

admin_url="${TEST_POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
# Test files that need Redis (a live server, and redis-server to start and stop one).
redis_tests=(server/collab/scale.int.test.ts server/collab/hooks/relay/redis-restart.int.test.ts)
# Test files that read exports back with Debian's poppler-utils and pandoc (and LibreOffice).
# The verify page's checks run the same readers (and pdfdetach) in production code.
reader_tests=(lib/export/export.test.ts lib/export/unicode.test.ts lib/export/links.test.ts
  lib/export/pdf.test.ts lib/export/docx.test.ts lib/export/verification.test.ts
  lib/services/initialling.int.test.ts lib/services/amendments.int.test.ts)
excluded=()

missing=()
need() { # need <what> <how to get it>
  missing+=("$1: $2")
  echo "!! missing $1 -> $2" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
}

have_postgres=true
if ! command -v psql > /dev/null; then
  have_postgres=false
  need "psql (PostgreSQL client)" "apt-get install -y postgresql"
elif [ -z "${TEST_DATABASE_URL:-}" ] && ! psql "$admin_url" -qtAc 'select 1' > /dev/null 2>&1; then
  have_postgres=false
  need "PostgreSQL at $admin_url (trust auth)" \
    "apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
fi
have_redis=true
redis_host_port="${redis_url#redis://}"
redis_host="${redis_host_port%%:*}"
redis_port="${redis_host_port##*:}"
redis_port="${redis_port%%/*}"
if ! command -v redis-server > /dev/null; then
  have_redis=false
  need "redis-server" "apt-get install -y redis-server"
elif ! (exec 3<> "/dev/tcp/$redis_host/$redis_port") 2> /dev/null; then
  have_redis=false
  need "Redis at $redis_url" "redis-server --daemonize yes --port $redis_port --save ''"
fi
if ! command -v pdftotext > /dev/null || ! command -v pdftohtml > /dev/null; then
  need "pdftotext, pdffonts, pdfinfo, pdftohtml (poppler-utils)" "apt-get install -y poppler-utils"
  excluded+=("${reader_tests[@]}")
fi
if ! command -v pandoc > /dev/null; then
  need "pandoc" "apt-get install -y pandoc"
  excluded+=("${reader_tests[@]}")
fi
if ! command -v soffice > /dev/null; then
  need "LibreOffice (soffice)" "apt-get install -y --no-install-recommends libreoffice-writer-nogui"
  excluded+=(lib/export/docx.test.ts lib/export/verification.test.ts)
fi
have_chromium=true
if [ ! -x "$chromium" ]; then
  have_chromium=false
  need "Chromium at $chromium" "apt-get install -y chromium (or set CHROMIUM_PATH)"
fi

failed=()
run() { # run <stage> <title> <command...>: a failing stage is named at the end
  local stage="$1"
  echo "== $2"
  shift 2
  "$@" || failed+=("$stage")
}

if $have_postgres && [ -z "${TEST_DATABASE_URL:-}" ]; then
  scratch="briefing_test_$(date +%s)_$$"
  psql "$admin_url" -qc "create database $scratch" || exit 1
  trap 'psql "$admin_url" -qc "drop database if exists $scratch with (force)" || true' EXIT
  export TEST_DATABASE_URL="${admin_url%/*}/$scratch"
fi
if ! $have_postgres; then unset TEST_DATABASE_URL; fi

if [ ${#excluded[@]} -gt 0 ]; then export TEST_EXCLUDE="$(IFS=,; echo "${excluded[*]}")"; fi
run unit "unit" npx vitest run --project unit

if ! $have_redis; then excluded+=("${redis_tests[@]}"); fi
if [ ${#excluded[@]} -gt 0 ]; then export TEST_EXCLUDE="$(IFS=,; echo "${excluded[*]}")"; fi
databases=$($have_postgres && echo "PGlite and PostgreSQL" || echo "PGlite only")
redis=$($have_redis && echo "Redis at $redis_url" || echo "without the Redis tests")
run integration "integration ($databases, $redis)" npx vitest run --project integration

echo "== build"
npm run build > /tmp/briefing-build.log 2>&1 || {
  cat /tmp/briefing-build.log
  failed+=("build")
}

if $have_chromium && [[ ! " ${failed[*]} " =~ " build " ]]; then
  # The production server's log comes through Playwright ([WebServer] lines): two copies of Yjs in
  # one process break its constructor checks, so its warning fails the run.
  run e2e "e2e (Chromium)" bash -o pipefail -c 'npx playwright test 2>&1 | tee /tmp/briefing-e2e.log'
  if grep -q "Yjs was already imported" /tmp/briefing-e2e.log 2> /dev/null; then
    echo "!! the production server loaded Yjs twice (see /tmp/briefing-e2e.log)"
    failed+=("one-yjs")
  fi
fi

if [ ${#failed[@]} -gt 0 ] || [ ${#missing[@]} -gt 0 ]; then
  echo
  [ ${#failed[@]} -gt 0 ] && echo "Failed: ${failed[*]}"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Not run, for want of:"
    for m in "${missing[@]}"; do echo "  - $m"; done
  fi
  exit 1
fi
echo "All tests passed."
