#!/usr/bin/env bash
# Serve the demo: migrate, load the demo data on the first run, start the web server and
# the background worker on 127.0.0.1:8000; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py load_demo

$PY manage.py db_worker --queue-name default --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true; wait $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "Hiện Thực: http://127.0.0.1:8000  (Ctrl-C để dừng / to stop)"
$PY manage.py runserver 127.0.0.1:8000 --noreload
