# The two commands of the README: `make run` and `make test`. Both start from nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench bench-search install install-dev messages clean

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

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Compiles the .po catalogues into .mo files (not committed) with polib, so no system gettext is needed.
messages: install
	$(MANAGE) compile_catalogues

run: install messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seed_content
	$(MANAGE) ensure_dev_admin
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev messages
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check site home actions search

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml site home actions search

bench: install-dev messages
	$(BIN)/python tests/bench/pages.py

clean:
	rm -rf $(VENV) static

# Needs PostgreSQL: BENCH_DATABASE_URL names a database the benchmark drops and creates again.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kernteam_bench_search
bench-search: install-dev messages
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python tests/bench/search.py
