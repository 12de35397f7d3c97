#!/usr/bin/env bash
# Benchmarks: each figure printed beside its budget and a baseline measured in the same run.
#   SQLite leg: the province tier in a throwaway database file.
#   PostgreSQL leg: the national tier in BENCH_DATABASE_URL (it is filled with generated
#   data, so never point it at a real database) or in a throwaway cluster of our own.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key}"
export ALLOWED_HOSTS="testserver,localhost,127.0.0.1"
export DEBUG=0 SECURE_SSL_REDIRECT=0
# The import benchmark reads a file of a million values (tens of MB).
export UPLOAD_MAX_MB=500
unset DATABASE_URL
FAILED=0
# The HTTP load run's load generator: Debian's wrk, installed when we may.
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null 2>&1 || true
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hienthuc-bench.XXXXXX")"
PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ]; then
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

run_leg() {
  local tier="$1"
  $PY manage.py migrate --noinput --verbosity 0 || return 1
  $PY manage.py collectstatic --noinput --verbosity 0 || return 1
  $PY manage.py generate_tier "$tier" || return 1
  $PY manage.py generate_documents 50000 || return 1
  $PY manage.py generate_plans || return 1
  $PY manage.py generate_indicator_data || return 1
  $PY -m bench.tree || status=1
  $PY -m bench.search || status=1
  $PY -m bench.dashboard || status=1
  $PY -m bench.reports || status=1
  $PY -m bench.values || status=1
  $PY -m bench.meetings || status=1
  # Over HTTP (PostgreSQL only): the conference above, under wrk against granian's workers.
  $PY -m bench.http_load || status=1
  # A province's staff opening the real pages (PostgreSQL only), beside a no-query GET.
  $PY -m bench.http_mix || status=1
  # Last: it reorganizes the generated tree. At the national tier, it reorganizes the whole
  # country as it stood before 1 July 2025, generated here beside the national tree.
  if [ "$tier" = national ]; then
    $PY manage.py generate_tier national-2024 || return 1
    $PY manage.py generate_plans --root H-TW || return 1
  fi
  $PY -m bench.reorg || status=1
  return ${status:-0}
}

echo "==== SQLite, province tier ===="
VAR_DIR="$WORK/sqlite" run_leg province || FAILED=1

echo
echo "==== PostgreSQL, ${BENCH_PG_TIER:-national} tier ===="
PG_URL="${BENCH_DATABASE_URL:-}"
if [ -z "$PG_URL" ]; then
  PG_BIN=""
  if command -v initdb >/dev/null; then PG_BIN="$(dirname "$(readlink -f "$(command -v initdb)")")"; fi
  [ -n "$PG_BIN" ] || PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; then
    # shellcheck source=scripts/pg_cluster.sh
    source scripts/pg_cluster.sh
    start_pg_cluster "$PG_BIN" && PG_URL="$PG_CLUSTER_URL"
  fi
fi
if [ -n "$PG_URL" ]; then
  DATABASE_URL="$PG_URL" VAR_DIR="$WORK/pg" run_leg "${BENCH_PG_TIER:-national}" || FAILED=1
else
  echo "!!! SKIPPED: no BENCH_DATABASE_URL and PostgreSQL's server programs are not installed."
  FAILED=1
fi
exit $FAILED
