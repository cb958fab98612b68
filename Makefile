# Factline: `make run` serves the demo, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The PostgreSQL the second test pass runs on (pytest-django creates and drops its own test_* database).
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEV := DEBUG=1
# The port `make run` serves on: `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres bench loadtest extraction lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_seeds
	$(DEV) $(BIN)/python manage.py demo_accounts
	@echo
	@echo "  Factline is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Log in at http://127.0.0.1:$(PORT)/accounts/login/ as 'owner' or 'editor', password 'factline-demo'."
	@echo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Lint first: a failing check costs seconds, not the ten minutes of the suite.
test: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(VENV)/.installed-dev
	@echo "== Tests on SQLite"
	$(BIN)/pytest

# Without CI, a machine with no PostgreSQL skips this pass and says so; with CI=true it fails.
# The browser tests ran in the SQLite pass: what they show does not depend on the database under
# them, and on PostgreSQL each costs a flush of every table (5 of its 6.5 minutes).
test-postgres: $(VENV)/.installed-dev
	@if $(BIN)/python tests/pg_ready.py "$(PG_URL)"; then \
		echo "== Tests on PostgreSQL ($(PG_URL))"; \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL), and CI=true makes it mandatory." >&2; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $(PG_URL): its pass is skipped (CI=true makes it mandatory)."; \
	fi

# The big instance served by gunicorn and measured beside static files (bench/run.py says how): on
# PostgreSQL (its own database, BENCH_DB, on PG_URL's server, created and dropped), then SQLite.
# Writes bench/results.json (git-ignored: a run's numbers belong to its machine; the README keeps one).
bench: $(VENV)/.installed-dev
	PG_URL="$(PG_URL)" $(BIN)/python -u -m bench.run

# Twenty editors saving entries of one timeline for a minute against gunicorn on PostgreSQL.
loadtest: $(VENV)/.installed-dev
	PG_URL="$(PG_URL)" $(BIN)/python -u -m bench.loadtest

# Token precision, recall and F1 of the text the importer keeps citable, over tests/data/pages/.
extraction: $(VENV)/.installed-dev
	$(BIN)/python tests/extraction.py

# The same checks run before each commit with pre-commit (.pre-commit-config.yaml). The migrations
# check reads no database: an in-memory SQLite stands in.
lint: $(VENV)/.installed-dev
	@echo "== Lint: ruff, migrations, mypy"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
