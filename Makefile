# The two commands of the README: `make run` and `make test`. Both start from nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The background worker that sends the newsletter (django-tasks-db); no reloading, which would cut a batch short.
NEWSLETTER_WORKER := $(MANAGE) db_worker --backend newsletter --queue-name newsletter --no-reload
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format bench bench-search bench-newsletter load faults install install-dev messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when a requirements file changed.
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The Nu HTML Checker for the test suite, from npm (it runs on Java); without npm, that one test is skipped.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the HTML validity test will be skipped"; fi

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Compiles the .po catalogues into .mo files (not committed) with polib, so no system gettext is needed.
messages: install
	$(MANAGE) compile_catalogues

.PHONY: catalogues
# Extracts our strings (code and templates) with Babel into the Dutch catalogue; then translate what it reports.
catalogues: install-dev
	$(MANAGE) update_catalogues

# The Wagtail Site, and so every link in mail, follows the address the server runs on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seed_content
	$(MANAGE) ensure_dev_admin
	@# The clock publishes scheduled pages every minute and the worker sends the newsletter; both stop with the server.
	trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; $(MANAGE) run_clock & $(NEWSLETTER_WORKER) & \
	$(MANAGE) runserver $(HOST):$(PORT)

# The production settings, run locally the way production runs them: gunicorn (two workers per core, plus one),
# whitenoise with hashed and compressed static files, PostgreSQL and Redis (this machine's, unless DATABASE_URL and
# REDIS_URL say otherwise), and the worker process (the clock). Plain http on 127.0.0.1: the admin's cookies are
# https-only, as in production, so signing in needs TLS in front.
serve: export DJANGO_SETTINGS_MODULE := config.settings.production
serve: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kernteam
serve: export REDIS_URL ?= redis://127.0.0.1:6379/1
serve: export ALLOWED_HOSTS ?= $(HOST),localhost
serve: export SITE_URL ?= https://localhost
serve: export SECURE_SSL_REDIRECT ?= false
serve: export DEFAULT_FROM_EMAIL ?= Kernteam Ambtelijk Vakmanschap <nieuwsbrief@localhost>
serve: export SECURITY_TXT_CONTACT ?= mailto:security@localhost
serve: export ANYMAIL_WEBHOOK_SECRET ?= local:$(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(24))")
serve: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
serve: install messages
	$(BIN)/python -c "import dj_database_url, psycopg, os; \
	  c = dj_database_url.parse(os.environ['DATABASE_URL']); name = c.pop('NAME'); \
	  conn = psycopg.connect(dbname='postgres', host=c['HOST'], port=c['PORT'] or 5432, user=c['USER'], autocommit=True); \
	  conn.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone() or conn.execute(f'CREATE DATABASE \"{name}\"')"
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seed_content
	trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; $(MANAGE) run_clock & $(NEWSLETTER_WORKER) & \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $$(( 2 * $$(nproc) + 1 )) --access-logfile -

# `make serve` behind nginx (deploy/nginx/, Debian's nginx run as this user) as production runs it: TLS with a
# self-signed certificate for localhost, at https://localhost:$(PROXY_PORT) (http on $(PROXY_HTTP_PORT) redirects
# there). The app trusts the proxy's X-Forwarded-Proto and -For; publishing refreshes pages in its cache.
# The configuration, certificate, cache and logs go to deploy/local/ (not committed).
PROXY_PORT ?= 8443
PROXY_HTTP_PORT ?= 8080
PROXY_PURGE_PORT ?= 8081
.PHONY: serve-proxy
serve-proxy: export SITE_URL = https://localhost:$(PROXY_PORT)
serve-proxy: export SECURE_SSL_REDIRECT = true
serve-proxy: export BEHIND_TLS_PROXY = true
serve-proxy: export TRUSTED_PROXY_COUNT = 1
serve-proxy: export CDN_PURGE_URL = http://127.0.0.1:$(PROXY_PURGE_PORT)
serve-proxy: install
	trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	$(BIN)/python deploy/nginx/render.py --folder deploy/local --site-url $(SITE_URL) --upstream $(HOST):$(PORT) \
	  --http-port $(PROXY_HTTP_PORT) --purge-port $(PROXY_PURGE_PORT) --access-log /dev/stdout --run & \
	$(MAKE) serve

# The whole suite on PostgreSQL, production's database, in a database made for the run and dropped after it (on the
# server TEST_POSTGRES_URL names; pytest-django makes and drops its test_ copy); then on SQLite only the tests whose
# behaviour differs by database (marked by_database). Without that server, the whole suite on SQLite, saying so.
# DATABASE_URL set by hand: the whole suite on that database alone. PYTEST_ARGS go to every run (-x, -k ...).
# pytest-xdist runs the tests in TEST_WORKERS processes (one per core), each with its own test database and whole
# test files, so that a module's seed is loaded once (TEST_WORKERS=0: one process).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest --numprocesses $(TEST_WORKERS) --dist loadfile
test: install-dev messages node_modules/.installed
	@if [ -n "$$DATABASE_URL" ]; then exec $(PYTEST) $(PYTEST_ARGS); fi; \
	admin() { $(BIN)/python -c "import psycopg, sys; \
	  rows = psycopg.connect(sys.argv[1] + '/postgres', connect_timeout=5, autocommit=True).execute(sys.argv[2]); \
	  print(*(row[0] for row in rows) if rows.description else ())" "$(TEST_POSTGRES_URL)" "$$1"; }; \
	database="run_$$(date +%s)_$$$$"; \
	if ! admin "CREATE DATABASE $$database" >/dev/null 2>&1; then \
	  echo "== PostgreSQL is not reachable at $(TEST_POSTGRES_URL): the whole suite on SQLite only"; \
	  exec $(PYTEST) $(PYTEST_ARGS); \
	fi; \
	drop() { for name in $$(admin "SELECT datname FROM pg_database WHERE datname LIKE 'test_$$database%'") $$database; \
	  do admin "DROP DATABASE $$name WITH (FORCE)"; done; }; \
	trap drop EXIT; \
	echo "== the whole suite on PostgreSQL ($$database)" && \
	DATABASE_URL="$(TEST_POSTGRES_URL)/$$database" $(PYTEST) $(PYTEST_ARGS) && \
	echo "== the tests whose behaviour differs by database (by_database), on SQLite" && \
	$(PYTEST) -m by_database $(PYTEST_ARGS)

TEMPLATES := $(wildcard */templates)

# Also fails on a model change without its migration.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATES)
	$(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATES)

# The production setup on 127.0.0.1 measured with wrk (Debian's). Needs PostgreSQL and Redis: BENCH_DATABASE_URL
# names a database the benchmark drops and creates again, BENCH_REDIS_URL a Redis database it empties.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kernteam_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/5
bench: install-dev messages
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python tests/bench/pages.py

clean:
	rm -rf $(VENV) static

# Needs PostgreSQL: BENCH_DATABASE_URL names a database the benchmark drops and creates again.
BENCH_SEARCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kernteam_bench_search
bench-search: install-dev messages
	BENCH_DATABASE_URL=$(BENCH_SEARCH_DATABASE_URL) $(BIN)/python tests/bench/search.py

# Needs PostgreSQL: BENCH_NEWSLETTER_DATABASE_URL names a database the benchmark drops and creates again.
BENCH_NEWSLETTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kernteam_bench_newsletter
bench-newsletter: install-dev messages
	BENCH_DATABASE_URL=$(BENCH_NEWSLETTER_DATABASE_URL) $(BIN)/python tests/bench/newsletter.py

.PHONY: lighthouse
# Lighthouse's four scores for the home, overview, action and edition pages in both languages, on the site served
# as `make serve` serves it (SQLite and the file cache in a temporary folder); Debian's Chromium, never a download.
lighthouse: install-dev messages node_modules/.installed
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python tests/bench/lighthouse.py

# Load and faults on the production setup, with a PostgreSQL cluster and a Redis server of their own on ports
# LOAD_PORT_BASE (8510) to +2 (the machine's shared servers are never stopped). Need PostgreSQL's server binaries,
# redis-server and wrk. They print what they saw and fail on an error, a 5xx or a lost subscription.
load: install-dev messages
	cd tests/load && ../../$(BIN)/python load.py

faults: install-dev messages
	cd tests/load && ../../$(BIN)/python faults.py
