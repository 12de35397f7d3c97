#!/usr/bin/env bash
# One task worker (django-tasks' db_worker), restarted if it dies (a crash, a database locked
# for too long): long imports must not stay queued until someone notices. Imports it was running
# when it died are marked failed after IMPORT_STALE_MINUTES (imports/models.py), writing nothing.
# Used by scripts/run.sh (the demo) and scripts/serve.sh (production); stopping it stops its worker.
cd "$(dirname "$0")/.."
CHILD=""
# wait returns at once for a trapped signal, so the worker is stopped with the loop.
trap '[ -n "$CHILD" ] && kill "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; exit 0' TERM INT
while true; do
  .venv/bin/python manage.py db_worker --queue-name default --no-reload &
  CHILD=$!
  wait "$CHILD" || true
  echo "Tiến trình nền dừng; khởi động lại sau 2 giây / task worker stopped, restarting in 2 s" >&2
  sleep 2
done
