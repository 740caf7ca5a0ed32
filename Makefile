# trainer: set up, run and test. Needs Python 3.11+ and make; everything else is installed here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Test processes run in parallel (pytest-xdist); `make test TEST_WORKERS=0` runs them in one.
TEST_WORKERS ?= auto
export TRAINER_CONFIG ?= development
# flask run serves on these, and config.py builds the development PUBLIC_BASE_URL from them:
# links printed or mailed by `make run PORT=5201` point at port 5201.
export FLASK_RUN_HOST := $(HOST)
export FLASK_RUN_PORT := $(PORT)

.PHONY: help install install-dev translations db seed courses run test lint format messages clean bench

help:
	@echo "make run     set everything up (SQLite, demo course, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test    set everything up and run ruff and the whole test suite"
	@echo "make messages   extract strings and update the es/fr catalogues"
	@echo "make bench   seed, serve with gunicorn and measure (DB=sqlite|postgres SIZE=20000 RUNS=3 SECONDS=10 CLIENTS=8)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "trainer needs Python 3.11 or newer; set PYTHON=python3.x" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled catalogues are build output, never committed.
translations: install
	$(BIN)/pybabel compile -d trainer/translations

db: install
	@mkdir -p instance
	$(FLASK) db upgrade

# The demo data includes a cohort of the demo course, so courses/ is imported first.
seed: courses
	$(FLASK) seed-demo

courses: db
	$(FLASK) courses import courses/

run: translations courses seed
	@echo
	@echo "trainer is starting on http://$(HOST):$(PORT)  (demo logins are listed above; Ctrl+C stops it)"
	@# One worker beside the web server sends the mails and runs the periodic tasks; it
	@# stops with the server.
	$(FLASK) worker --scheduler --workers 1 & worker=$$!; \
	trap "kill $$worker" EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
		echo "== browser tests: Chromium found, they run after the SQLite pass =="; \
	else \
		echo "== browser tests: NO Chromium at $${CHROMIUM_PATH:-/usr/bin/chromium}, they will be SKIPPED (apt-get install chromium) =="; \
	fi
	@echo "== test suite on SQLite =="
	TEST_DATABASE_URL= $(PY) -m pytest -n $(TEST_WORKERS) -m "not browser"
	@echo "== browser tests (Chromium, phone viewport, with and without JavaScript) =="
	TEST_DATABASE_URL= $(PY) -m pytest -n $(TEST_WORKERS) -m browser -v
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL ($$TEST_DATABASE_URL), browser tests excluded =="; \
		$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser"; \
	else \
		echo "== TEST_DATABASE_URL is not set: the PostgreSQL run is skipped =="; \
	fi

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k N_ -o trainer/translations/messages.pot --no-location --sort-output --omit-header trainer
	$(BIN)/pybabel update -i trainer/translations/messages.pot -d trainer/translations --no-fuzzy-matching --ignore-obsolete

# `make bench DB=postgres SIZE=20000`: bench-seed, gunicorn, load (wrk when installed), a
# table and benchmarks/results/<db>-<size>-<time>.json. PostgreSQL: BENCH_DATABASE_URL and
# <name>_tenth are DROPPED and created again (the name must contain "bench").
DB ?= sqlite
SIZE ?= 20000
RUNS ?= 3
SECONDS ?= 10
CLIENTS ?= 8
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/trainer_bench

bench: install translations
	$(PY) benchmarks/bench.py --db $(DB) --size $(SIZE) --runs $(RUNS) --seconds $(SECONDS) \
		--clients $(CLIENTS) --postgres-url $(BENCH_DATABASE_URL)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
