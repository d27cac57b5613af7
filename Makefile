# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app.py
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# The suite runs in this many pytest-xdist processes, each with its own databases (on PostgreSQL
# <name>_gw0, <name>_gw1…; see docs/development.md). TEST_WORKERS=0: one process, as plain pytest.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS)

.PHONY: run test test-sqlite test-postgres setup assets db lint bench bench-explain clean serve

run: setup db
	@echo
	@echo "  csp-events is running at http://127.0.0.1:$(PORT)"
	@echo "  Demo logins (only in the demo data):"
	@$(PY) -c "from csp_events.demo.data import DEMO_LOGINS as d; [print(f'    {r:<12} {e}   password: {p}') for r,(e,p) in d.items()]"
	@echo "  Stop with Ctrl+C."
	@echo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production-style serving: gunicorn, several workers, against DATABASE_URL (PostgreSQL).
# `make serve DATABASE_URL=postgresql://user@host/db REDIS_URL=redis://127.0.0.1:6379/0`
# Add DEMO=1 to load the Brentwood demo data into an empty database first.
serve: setup
	@if [ -z "$(DATABASE_URL)" ]; then \
		echo "make serve needs DATABASE_URL, the database to serve (it never guesses one)."; \
		echo "  e.g. make serve DATABASE_URL=postgresql://postgres@127.0.0.1:5432/csp_events REDIS_URL=redis://127.0.0.1:6379/0"; \
		echo "  (add DEMO=1 to load the Brentwood demo data into an empty database)"; \
		exit 2; \
	fi
	DATABASE_URL="$(DATABASE_URL)" $(FLASK) db upgrade
	@if [ -n "$(DEMO)" ]; then DATABASE_URL="$(DATABASE_URL)" $(FLASK) load-demo; fi
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" $(VENV)/bin/gunicorn --config gunicorn.conf.py app:app

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed $(VENV)/.installed
	$(PY) -m csp_events.assets

db: setup
	$(FLASK) db upgrade
	$(FLASK) load-demo

# Lint, then the whole suite on SQLite, then on PostgreSQL. Quicker while working:
#   make test-sqlite                                 one engine (or make test-postgres)
#   .venv/bin/python -m pytest -n 2 -m "not slow"    all but the slowest tests, on both cores
#   .venv/bin/python -m pytest tests/web -k feed     one folder, only tests named for feeds
test: setup lint
	@$(MAKE) --no-print-directory test-sqlite
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL is not answering on 127.0.0.1:5432: the PostgreSQL run was skipped."; \
	fi

lint: setup
	$(VENV)/bin/ruff check csp_events tests app.py
	$(VENV)/bin/ruff format --check csp_events tests app.py
	$(VENV)/bin/mypy csp_events app.py
	$(VENV)/bin/bandit --quiet --recursive csp_events app.py --severity-level medium

test-sqlite: setup
	@echo "== Test suite on SQLite ($(TEST_WORKERS) workers) =="
	$(PYTEST)

test-postgres: setup
	@echo "== Test suite on PostgreSQL ($(PG_TEST_URL), $(TEST_WORKERS) workers) =="
	TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST)

# Speed figures (not tests), as users meet them: the app served by gunicorn exactly as `make serve`
# serves it, against a hello-world app under the same settings, loaded by wrk and locust
# (tests/bench/bench_served.py; knobs BENCH_ROUNDS, BENCH_SECONDS, BENCH_DATABASE_URL...).
bench: setup
	@test -x /usr/bin/wrk || apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 \
		|| sudo -n sh -c 'apt-get update -qq && apt-get install -y -qq wrk' >/dev/null 2>&1 \
		|| echo "wrk is not installed and could not be installed here (apt-get install wrk): the served figures need it."
	$(PY) tests/bench/bench_served.py
	@echo "(\`make bench-explain\` runs the in-process benchmarks that show where the time goes.)"

# In-process figures: they explain where time goes; they do not prove what users meet.
bench-explain: setup
	@echo "== In-process benchmarks: they explain, they do not prove (see \`make bench\`) =="
	$(PY) tests/bench/bench_bookings.py
	$(PY) tests/bench/bench_feeds.py
	$(PY) tests/bench/bench_feed_versions.py
	$(PY) tests/bench/bench_reports.py
	$(PY) tests/bench/bench_load.py

clean:
	rm -rf $(VENV) node_modules static/vendor test-artifacts

# Only the browser journeys and axe checks (Debian's chromium, playwright, axe-core from npm).
# `make test` runs them too; without chromium they are skipped (and fail when CI=true).
.PHONY: test-browser
test-browser: setup
	@echo "== Browser tests (Chromium at /usr/bin/chromium, axe-core) =="
	$(PY) -m pytest tests/browser -rs
