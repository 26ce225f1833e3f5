# The few commands a developer types. `make run` and `make test` set up everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# The public address certificates' QR codes encode (an explicit SITE_URL wins).
export SITE_URL ?= http://$(HOST):$(PORT)
# manage.py defaults to portal.settings.dev and pytest to portal.settings.test
# (pyproject.toml); an exported DJANGO_SETTINGS_MODULE would override the latter.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint bench e2e venv deps-run deps-test deps-bench stack stack-stop load backup restore messages jobs manual clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "需要 python3-venv：apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

deps-run:
	@scripts/system-deps.sh run

deps-test:
	@scripts/system-deps.sh test

deps-bench:
	@scripts/system-deps.sh bench

messages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore '.venv/*'

## Start the portal on the embedded default (SQLite, in-process tasks) with demo data.
## portal.settings.run: DEBUG off (DEBUG=1 for developers), static files through WhiteNoise,
## ALLOWED_HOSTS from HOST, and the request's side effects (PDFs, notifications) left to the loop.
run: export DJANGO_SETTINGS_MODULE = portal.settings.run
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: deps-run venv messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	@# The demo's own notifications are not printed: only its table of accounts is. Its certificates
	@# are made before the server starts (in-process), not left to the loop.
	EMAIL_BACKEND=locmem SMS_BACKEND=locmem LOG_LEVEL=WARNING BACKGROUND_LOOP_TASKS=0 $(PY) manage.py demo
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

## Benchmarks. bench/scale.py (issue 11) generates PostgreSQL volumes once (portal_bench_<size>; 100,000
## filings take ~90 s, kept between runs), serves them under gunicorn (production settings, 3×2) and prints
## each page's req/s beside its anchor (bench/anchor) and its goal, queries, server ms and plan shapes.
## Sizes: SCALE_SIZES (default 1,000 and 100,000: the ratio "flat as data grows"); with a million:
##   make bench SCALE_SIZES="1000 100000 1000000"      (generating 1,000,000 takes ~15 min)
## SCALE_ARGS passes more (e.g. "--seconds 5 --rounds 3"). bench/stats_pages.py and bench/inspections.py (日常巡查)
## reuse the 100,000 database.
SCALE_SIZES ?= 1000 100000
bench: deps-bench venv messages
	$(PY) bench/run.py
	$(PY) bench/scale.py --sizes $(SCALE_SIZES) $(SCALE_ARGS)
	$(PY) bench/stats_pages.py
	$(PY) bench/inspections.py
	$(PY) bench/interactions.py
	@if [ -s var/load/summary.md ]; then cat var/load/summary.md; else echo "load: no run yet (make load)"; fi

## The production stack without Docker: nginx → 2 gunicorn nodes, Celery worker + beat, on this
## machine's PostgreSQL (database portal_stack) and Redis (db 6); loopback ports 8480-8482.
stack: deps-stack venv
	@scripts/stack.sh start

stack-stop:
	@scripts/stack.sh stop

## Load benchmark: locust (applicants and officials) against a stack of its own for LOAD_DURATION (60s;
## the issue's run: make load LOAD_DURATION=5m); HTML report and table under var/load/ (bench/load/run.sh).
load: deps-stack venv messages
	@bench/load/run.sh

## Backup of the database (pg_dump) and private files (tar), with an inventory and SHA-256 sums, into
## var/backups/<UTC time>/ (or BACKUP_DIR); the stack's unless DATABASE_URL and PRIVATE_MEDIA_ROOT are set.
backup: venv
	@scripts/backup.sh backup $(BACKUP_DIR)

## Restore BACKUP into a new database RESTORE_DB and an empty folder RESTORE_MEDIA, then verify it (counts, files, checksums).
RESTORE_DB ?= portal_restored
RESTORE_MEDIA ?= var/restored/private
restore: venv
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=var/backups/<time> [RESTORE_DB=$(RESTORE_DB)] [RESTORE_MEDIA=$(RESTORE_MEDIA)]"; exit 2; }
	@scripts/backup.sh restore $(BACKUP) $(RESTORE_DB) $(RESTORE_MEDIA)

deps-stack:
	@scripts/system-deps.sh stack

jobs: venv
	$(PY) manage.py run_periodic

# The user manuals' screenshots (static/help/…), from the demo data in headless Chromium (slow: not in make test);
# SHOTS="mct-login nrta-home" remakes only those (tests/portal/test_manual_drift.py keeps the list and the manuals in step)
manual: deps-test venv messages
	$(PY) scripts/manual_screenshots.py $(SHOTS)

clean:
	rm -rf $(VENV) var
