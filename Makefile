# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install migrate demo run opendata run-opendata serve loadtest profile test test-postgres lint format check clean eval eval-troubles bench lighthouse

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Loads the sample city once; `manage.py load_demo` itself refuses to load twice.
demo: migrate
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py rebuild_search_index --if-empty

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# A real city's portal from the Tokyo 子ども食堂一覧 open data (docs/data.md), with no sample
# notice: `make run-opendata CITIES=132292` (several: CITIES=132292,131016). Always a fresh
# portal: its own SQLite database under .opendata/ (OPENDATA_DIR), recreated each time; the
# demo's db.sqlite3 is not touched. `make opendata` prepares it without serving. Admin login:
# DATABASE_URL=sqlite:///$(OPENDATA_DIR)/portal.sqlite3 .venv/bin/python manage.py createsuperuser
OPENDATA_DIR ?= $(CURDIR)/.opendata
OPENDATA_ENV = DATABASE_URL=sqlite:///$(OPENDATA_DIR)/portal.sqlite3
CITIES ?=

opendata: install
	@test -n "$(CITIES)" || { echo "CITIES を指定してください（例：make run-opendata CITIES=132292）" >&2; exit 2; }
	rm -rf $(OPENDATA_DIR) && mkdir -p $(OPENDATA_DIR)
	$(OPENDATA_ENV) $(PY) manage.py migrate --noinput > $(OPENDATA_DIR)/setup.log
	$(OPENDATA_ENV) $(PY) manage.py load_opendata --cities $(CITIES) $(OPENDATA_ARGS)
	$(OPENDATA_ENV) $(PY) manage.py rebuild_search_index

run-opendata: opendata
	$(OPENDATA_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

# The production server (docs/deploy.md): production settings, gunicorn (portal/gunicorn_conf.py:
# workers and threads from the cores, analyser and index warmed at boot), static files
# collected, migrations applied. HOST/PORT choose the address (default 127.0.0.1:8000). Without
# SECRET_KEY a generated one is kept in .secret_key (git-ignored). SECURE_SSL_REDIRECT is off
# here because this serves plain HTTP locally; behind a TLS proxy set SECURE_SSL_REDIRECT=1.
# Sample data: `make demo` first (same DATABASE_URL).
SECRET_FILE := .secret_key
SERVE_ENV = DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" HOST=$(HOST) PORT=$(PORT)

$(SECRET_FILE):
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: install $(SECRET_FILE)
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) exec $(VENV)/bin/gunicorn -c portal/gunicorn_conf.py

# A bounded load run (about 2 minutes) against `make serve` on a PostgreSQL database of its own
# (LOADTEST_DATABASE_URL, recreated and loaded with the demo); wrk when installed, else a Python
# load generator. Prints req/s, p50/p99 and errors per page beside a trivial view and writes a
# JSON report under devtools/bench/results/ (devtools/loadtest.py).
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ibasho_loadtest
LOADTEST_PORT ?= 8350

loadtest: install
	$(PY) devtools/loadtest.py --database-url $(LOADTEST_DATABASE_URL) --port $(LOADTEST_PORT) $(LOADTEST_ARGS)

# Where a request's time goes, in-process with the production settings (devtools/profile_pages.py):
# mean ms, queries, and the share of templates, SQL, analyser, query log and context processors
# for home, a listing, the search page and the API. Needs the demo in DATABASE_URL (`make demo`).
# PROFILE_ARGS: --repeat N, --top N, --warm-cache (served from the response cache), --only a,b.
profile: install
	DJANGO_SETTINGS_MODULE=portal.settings.production SECURE_SSL_REDIRECT=0 \
	SECRET_KEY="$${SECRET_KEY:-profile-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz}" \
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=portal.settings.production SECURE_SSL_REDIRECT=0 \
	SECRET_KEY="$${SECRET_KEY:-profile-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz}" \
	$(PY) devtools/profile_pages.py $(PROFILE_ARGS)

# Search quality on a labelled query set, ours beside Wagtail's stock search (devtools/eval/).
# Uses its own throwaway SQLite database under .eval/, never db.sqlite3; writes
# devtools/eval/results/latest.json. EVAL_ARGS=--verbose shows the stock engine's answers too.
EVAL_DIR := $(CURDIR)/.eval
EVAL_ENV := DATABASE_URL=sqlite:///$(EVAL_DIR)/eval.sqlite3

EVAL_TOKYO_ENV := DATABASE_URL=sqlite:///$(EVAL_DIR)/tokyo.sqlite3

# Then the real Tokyo 子ども食堂 open data (devtools/eval/sets/tokyo_opendata.md) on a second
# throwaway database, imported by the open-data importer; both sets are printed side by side.
eval: install
	rm -rf $(EVAL_DIR) && mkdir -p $(EVAL_DIR)
	$(EVAL_ENV) $(PY) manage.py migrate --noinput > $(EVAL_DIR)/setup.log
	$(EVAL_ENV) $(PY) manage.py load_demo >> $(EVAL_DIR)/setup.log
	$(EVAL_ENV) $(PY) manage.py eval_search --json $(EVAL_DIR)/demo.json $(EVAL_ARGS)
	$(EVAL_TOKYO_ENV) $(PY) manage.py migrate --noinput >> $(EVAL_DIR)/setup.log
	$(EVAL_TOKYO_ENV) $(PY) manage.py eval_search --set tokyo --json $(EVAL_DIR)/tokyo.json \
		--beside $(EVAL_DIR)/demo.json $(EVAL_ARGS)
	cp $(EVAL_DIR)/demo.json devtools/eval/results/latest.json
	cp $(EVAL_DIR)/tokyo.json devtools/eval/results/latest-tokyo.json
	$(EVAL_ENV) $(PY) manage.py eval_troubles

# Troubles → windows, dead ends, crisis recall and false alarms only (devtools/eval/troubles.py).
eval-troubles: install
	rm -rf $(EVAL_DIR) && mkdir -p $(EVAL_DIR)
	$(EVAL_ENV) $(PY) manage.py migrate --noinput > $(EVAL_DIR)/setup.log
	$(EVAL_ENV) $(PY) manage.py load_demo >> $(EVAL_DIR)/setup.log
	$(EVAL_ENV) $(PY) manage.py eval_troubles $(EVAL_ARGS)

# Search latency benchmark (devtools/bench/README.md): our engine beside stock Wagtail search
# and a trivial JSON view, on throwaway SQLite files and the PostgreSQL database "bench"
# (BENCH_PG_URL; recreated; skipped when unreachable). Writes
# devtools/bench/results/latest-<db>.json. The 100,000-listing size takes about an hour per
# database (index rebuild): BENCH_SIZES=1000,10000,100000 make bench.
BENCH_SIZES ?= 1000,10000
BENCH_DB ?= both

bench: install
	$(PY) devtools/bench/run.py --sizes $(BENCH_SIZES) --db $(BENCH_DB)

# Lighthouse (from npm, into .cache/lighthouse) against Debian chromium, mobile emulation, on a
# throwaway demo database under .lighthouse/: writes
# devtools/bench/results/lighthouse-<date>.json.
LIGHTHOUSE_BIN := .cache/lighthouse/node_modules/.bin/lighthouse
LH_ENV := DATABASE_URL=sqlite:///$(CURDIR)/.lighthouse/db.sqlite3 DJANGO_SETTINGS_MODULE=portal.settings.dev

$(LIGHTHOUSE_BIN):
	@command -v npm >/dev/null || { echo "make lighthouse needs npm (apt-get install npm)"; exit 1; }
	npm install --no-save --no-audit --no-fund --prefix .cache/lighthouse lighthouse@12

lighthouse: install $(LIGHTHOUSE_BIN)
	rm -rf .lighthouse && mkdir -p .lighthouse
	$(LH_ENV) $(PY) manage.py migrate --noinput > .lighthouse/setup.log
	$(LH_ENV) $(PY) manage.py load_demo >> .lighthouse/setup.log
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) devtools/lighthouse.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
