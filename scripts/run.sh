#!/usr/bin/env bash
# Serve the demo: migrate, load the demo data on the first run, start the web server and
# the background worker on 127.0.0.1:8000; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# The demo runs like production (real error pages, collected static files) on plain HTTP
# at 127.0.0.1; `DEBUG=1 make run` gives Django's debug pages instead.
export DEBUG="${DEBUG:-0}" DEMO=1 SECURE_COOKIES=0
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
mkdir -p var
[ -s var/secret_key ] || $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
SECRET_KEY="$(cat var/secret_key)"
export SECRET_KEY

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py load_demo
$PY manage.py send_reminders --schedule

$PY manage.py db_worker --queue-name default --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true; wait $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "Hiện Thực: http://127.0.0.1:8000  (Ctrl-C để dừng / to stop)"
$PY manage.py runserver 127.0.0.1:8000 --noreload
