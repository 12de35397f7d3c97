# Hiện Thực — `make run` serves the demo, `make test` runs everything (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test bench lint format lock messages setup clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	scripts/run.sh

test: setup
	scripts/test.sh

bench: setup
	scripts/bench.sh

# Style, then the structure: types (mypy, django-stubs) and the layers (import-linter), both
# configured in pyproject.toml and explained in docs/architecture.md.
lint: setup
	scripts/lint.sh

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the English catalog after changing user-facing text (needs GNU gettext).
messages: setup
	cd hienthuc && DEBUG=1 ../$(PY) ../manage.py makemessages -l en --ignore "node_modules/*"
	cd hienthuc && DEBUG=1 ../$(PY) ../manage.py compilemessages -l en

# Regenerate the lock file from requirements.in (needs network access to PyPI).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^pip==' > requirements.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) node_modules var/static
