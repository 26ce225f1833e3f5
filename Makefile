# The few commands a developer types. `make run` and `make test` set up everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# manage.py defaults to portal.settings.dev and pytest to portal.settings.test
# (pyproject.toml); an exported DJANGO_SETTINGS_MODULE would override the latter.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint bench e2e venv deps-run deps-test messages jobs clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "需要 python3-venv：apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

deps-run:
	@scripts/system-deps.sh run

deps-test:
	@scripts/system-deps.sh test

messages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore '.venv/*'

## Start the portal on the embedded default (SQLite, in-process tasks) with demo data.
run: deps-run venv messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	@# The demo's own notifications are not printed: only its table of accounts is.
	EMAIL_BACKEND=locmem SMS_BACKEND=locmem LOG_LEVEL=WARNING $(PY) manage.py demo
	@echo "门户地址 / Portal: http://$(HOST):$(PORT)/   (periodic jobs run in the background)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py run_periodic --loop & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## The whole suite (unit, view and browser tests) on the embedded default.
test: deps-test venv messages
	$(PY) -m pytest -q --ds=portal.settings.test -n 2 --dist loadfile $(PYTEST_ARGS)

e2e: deps-test venv messages
	$(PY) -m pytest -q --ds=portal.settings.test -m browser $(PYTEST_ARGS)

## ruff, and the layers of pyproject.toml's [tool.importlinter] (roof → programmes → review → accounts → common).
lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: deps-test venv messages
	$(PY) bench/run.py

jobs: venv
	$(PY) manage.py run_periodic

clean:
	rm -rf $(VENV) var
