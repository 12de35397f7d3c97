#!/usr/bin/env bash
# The production start (docs/deploy.md): migrate, collect the static files, then serve with
# granian (WEB_WORKERS processes) on $HOST:$PORT and run TASK_WORKERS task workers, each restarted
# if it dies. Configuration comes from the environment (SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL, …); nothing is kept in a process, so several such starts may share one database.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WEB_WORKERS="${WEB_WORKERS:-$((2 * $(nproc) + 1))}"
TASK_WORKERS="${TASK_WORKERS:-1}"
export LOG_FORMAT="${LOG_FORMAT:-json}"

if [ "${SKIP_MIGRATE:-0}" != 1 ]; then
  $PY manage.py migrate --noinput
  $PY manage.py createcachetable
fi
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py send_reminders --schedule

PIDS=()
for _ in $(seq "$TASK_WORKERS"); do
  scripts/task_worker.sh &
  PIDS+=($!)
done
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true' EXIT INT TERM

.venv/bin/granian --interface wsgi --host "$HOST" --port "$PORT" --workers "$WEB_WORKERS" \
  --blocking-threads 1 --backlog 2048 --respawn-failed-workers --log-level warning \
  hienthuc.wsgi:application
