#!/usr/bin/env bash
# Serve the demo: migrate, load the demo data on the first run, start the web server and
# the background worker on 127.0.0.1:$PORT (8000 unless PORT is set); Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
# The demo's logins and password are published, so the demo runs in development mode only
# (DEBUG=1): a server with DEBUG off refuses the demo accounts (accounts/backends.py).
export DEBUG=1 DEMO=1 SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
mkdir -p var
[ -s var/secret_key ] || $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
SECRET_KEY="$(cat var/secret_key)"
export SECRET_KEY

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py load_demo
# Today's reminders now (each is sent once, so a restart repeats none), then every morning.
$PY manage.py send_reminders
$PY manage.py send_reminders --schedule

# The task worker, restarted if it dies (scripts/task_worker.sh).
scripts/task_worker.sh &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true; wait $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "Hiện Thực: http://127.0.0.1:$PORT  (Ctrl-C để dừng / to stop)"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload
