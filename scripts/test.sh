#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite (with the browser tests), then every test
# again on PostgreSQL — DATABASE_URL when set, otherwise a throwaway cluster of our own.
# With REQUIRE_ALL_LEGS=1 (as .ci/run sets it) a skipped leg is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export SECRET_KEY="${SECRET_KEY:-tests-only-secret-key}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-testserver,127.0.0.1,localhost}"
export SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0
SKIPPED=()
FAILED=0

banner() { printf '\n==== %s ====\n' "$*"; }
loud_skip() {
  SKIPPED+=("$1")
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
  printf '!!! SKIPPED: %s\n!!! %s\n' "$1" "$2"
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n'
}
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

banner "lint (ruff, mypy, import-linter)"
scripts/lint.sh || FAILED=1

# --- browser: Debian's Chromium, never a downloaded one
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$CHROMIUM" ] && can_apt; then
  banner "installing Debian's chromium"
  apt_install chromium && CHROMIUM="$(command -v chromium || true)"
fi
# Tests of a skipped leg are deselected by marker.
SKIP_MARKS=""
skip_mark() { SKIP_MARKS="${SKIP_MARKS:+$SKIP_MARKS and }$1"; }
if [ -n "$CHROMIUM" ]; then
  export CHROMIUM
else
  loud_skip "browser tests" "Chromium is not installed and cannot be installed here (need root and apt-get)."
  skip_mark "not browser"
fi

# --- LibreOffice (Writer and Calc), to prove generated .docx and .xlsx files open in a real office suite
OFFICE="$(command -v libreoffice || command -v soffice || true)"
if can_apt; then
  NEED=()
  [ -z "$OFFICE" ] && NEED+=(libreoffice-writer-nogui)
  dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 || NEED+=(libreoffice-calc-nogui)
  if [ ${#NEED[@]} -gt 0 ]; then
    banner "installing Debian's ${NEED[*]}"
    apt_install --no-install-recommends "${NEED[@]}" && OFFICE="$(command -v libreoffice || true)"
  fi
fi
if [ -z "$OFFICE" ]; then
  loud_skip "LibreOffice checks" "LibreOffice is not installed and cannot be installed here (need root and apt-get)."
  skip_mark "not office"
fi
# --- GNU gettext, to check that every string marked for translation has its English
if ! command -v xgettext >/dev/null && can_apt; then
  banner "installing Debian's gettext"
  apt_install --no-install-recommends gettext
fi
if ! command -v xgettext >/dev/null; then
  loud_skip "translation catalog check" "GNU gettext is not installed and cannot be installed here (need root and apt-get)."
  skip_mark "not gettext"
fi
SQLITE_ARGS=()
[ -n "$SKIP_MARKS" ] && SQLITE_ARGS=(-m "$SKIP_MARKS")
# The PostgreSQL leg repeats everything but the browser tests.
PG_MARKS="not browser and not gettext"
[ -z "$OFFICE" ] && PG_MARKS="$PG_MARKS and not office"

$PY manage.py collectstatic --noinput --verbosity 0 || FAILED=1

banner "tests on SQLite"
$PY -m pytest -q "${SQLITE_ARGS[@]}" || FAILED=1

# --- PostgreSQL: DATABASE_URL, or a throwaway cluster on a Unix socket in a temp folder
PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ]; then
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT

find_pg_bin() {
  # Follow symlinks: /usr/local/bin may hold initdb alone, not its sibling programs.
  if command -v initdb >/dev/null; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

PG_URL="${DATABASE_URL:-}"
if [ -z "$PG_URL" ]; then
  PG_BIN="$(find_pg_bin)"
  if { [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; } && can_apt; then
    banner "installing Debian's postgresql"
    apt_install postgresql && PG_BIN="$(find_pg_bin)"
  fi
  if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; then
    # shellcheck source=scripts/pg_cluster.sh
    source scripts/pg_cluster.sh
    if start_pg_cluster "$PG_BIN"; then
      PG_URL="$PG_CLUSTER_URL"
    else
      loud_skip "PostgreSQL leg" "the throwaway cluster did not start (see messages above)."
    fi
  else
    loud_skip "PostgreSQL leg" "no DATABASE_URL and PostgreSQL's server programs (initdb, pg_ctl) are not installed."
  fi
fi

if [ -n "$PG_URL" ]; then
  banner "tests on PostgreSQL"
  DATABASE_URL="$PG_URL" $PY -m pytest -q -m "$PG_MARKS" || FAILED=1
fi

banner "summary"
if [ ${#SKIPPED[@]} -gt 0 ]; then
  for leg in "${SKIPPED[@]}"; do echo "SKIPPED: $leg"; done
  if [ "${REQUIRE_ALL_LEGS:-0}" = 1 ]; then echo "REQUIRE_ALL_LEGS=1: a skipped leg fails the run."; FAILED=1; fi
else
  echo "All legs ran: lint, SQLite, browser, LibreOffice, PostgreSQL."
fi
exit $FAILED
