#!/usr/bin/env bash
# `make lint`, also the first leg of `make test`: style (ruff), types (mypy with django-stubs)
# and the layers between apps (import-linter). Each runs even if one before it failed.
set -uo pipefail
cd "$(dirname "$0")/.."
FAILED=0
.venv/bin/ruff check . || FAILED=1
.venv/bin/ruff format --check . || FAILED=1
# django-stubs reads the settings, which need a key; DEBUG=1 relaxes the production checks.
SECRET_KEY="${SECRET_KEY:-lint-only}" DEBUG=1 .venv/bin/mypy || FAILED=1
.venv/bin/lint-imports --no-cache || FAILED=1
exit $FAILED
