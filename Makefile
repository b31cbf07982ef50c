# The two commands a new user needs:
#   make demo   set up, build the demo warehouse on DuckDB, print a summary
#   make test   set up, lint, run every test and the engine comparison (what CI runs)
# The developer's fast lane:
#   make check  lint, then one demo build with every dbt unit and data test (about a minute)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_AS_OF := 2026-10-31
# make demo records every fourth day of October before DEMO_AS_OF, so the dashboard's
# history charts have a month to show (every day would take make demo past 2 minutes).
DEMO_HISTORY := --start 2026-10-03 --end 2026-10-30 --every 4
# pytest workers: dbt runs one process per test, so both cores are kept busy.
PYTEST_WORKERS ?= 2

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)

.PHONY: demo test check check-build test-engines test-month lint lint-sql pytest browser demo-data docs backfill-demo report benchmark properties propensity clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# The pinned requirements, then this project's package (the `segments` command) in
# editable mode, so that an edit of python/contact_segmentation/ needs no reinstall.
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
$(VENV)/.installed-runtime: requirements.txt pyproject.toml | $(BIN)/activate
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/activate
	$(PIP) -r requirements-dev.txt
	$(PIP) --no-deps -e .
	touch $@ $(VENV)/.installed-runtime

# Builds target/segments.duckdb (the build's own file) for a month of history, then as of
# DEMO_AS_OF with every test and, when every test passed, publishes the marts to
# target/published/segments.duckdb, the file readers open.
demo: $(VENV)/.installed-runtime
	$(BIN)/segments backfill $(DEMO_HISTORY) --no-tests --skip-older
	$(BIN)/segments build --as-of $(DEMO_AS_OF)
	$(BIN)/segments summary

# The pytest suite and the engine comparison in one parallel session: the long
# engine builds run beside the DuckDB tests instead of after them.
test: lint $(VENV)/.installed-engines browser
	scripts/start_postgres.sh
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15 tests/python tests/engines

check: lint check-build

check-build: $(VENV)/.installed-dev
	rm -rf target/check && mkdir -p target/check
	DBT_DUCKDB_PATH=target/check/demo.duckdb $(BIN)/dbt build --quiet --target-path target/check/dbt \
		--vars '{as_of: "$(DEMO_AS_OF)"}'

lint: $(VENV)/.installed-dev lint-sql
	$(BIN)/ruff check scripts tests python models
	$(BIN)/ruff format --check scripts tests python models
	$(BIN)/mypy scripts tests python models

# sqlfluff's dbt templater compiles every model, and compiling asks the warehouse
# whether a table exists (is_incremental(), the run mode): against a built warehouse
# it would lint other SQL than on a clean clone. So it compiles against an empty
# in-memory database, into its own target folder: lint is the same wherever it runs.
LINT_PATHS ?= models tests/data
lint-sql: $(VENV)/.installed-dev
	DBT_DUCKDB_PATH=:memory: DBT_TARGET_PATH=target/lint $(BIN)/sqlfluff lint --processes 2 $(LINT_PATHS)

# The invariants of tests/python/test_properties.py on 1,000 random data sets each (about 20 min);
# make test checks 25 each.
properties: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_properties.py --datasets 1000

# The purchase propensity model out of time on 100k generated contacts, with its targets
# (about 6 min), then on CDNOW's orders, reported beside BG/NBD (docs/predictions.md).
propensity: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_propensity.py --contacts 100000
	$(BIN)/python scripts/check_propensity.py --cdnow --work target/propensity-cdnow

# The daily-batch equality test over 30 days instead of make test's 12 (about 4 minutes).
test-month: $(VENV)/.installed-dev
	SEGMENTS_TEST_BATCH_DAYS=30 $(BIN)/pytest tests/python/test_incremental.py -k month

pytest: $(VENV)/.installed-dev browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

# The same models on other engines (README "Other engines"): builds the demo fixture
# there, runs its dbt tests and compares the marts with DuckDB's, row for row.
$(VENV)/.installed-engines: requirements-engines.txt requirements-dev.txt requirements.txt pyproject.toml | $(BIN)/activate
	$(PIP) -r requirements-engines.txt
	$(PIP) --no-deps -e .
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed-runtime

test-engines: $(VENV)/.installed-engines
	scripts/start_postgres.sh
	$(BIN)/pytest -n $(PYTEST_WORKERS) tests/engines

# Debian's Chromium, for the dashboard test (Playwright drives the system browser).
browser:
	scripts/install_chromium.sh

# Regenerate the committed demo seeds (deterministic).
demo-data: $(VENV)/.installed-runtime
	$(BIN)/segments generate --out seeds/demo

# A month of segment history for the demo warehouse. The demo's own history is
# reset first (history only moves forward, and `make demo` records its last day).
backfill-demo: $(VENV)/.installed-runtime
	$(BIN)/dbt run-operation reset_segment_history --args '{confirm: true}'
	$(BIN)/segments backfill --start 2026-10-02 --end $(DEMO_AS_OF)
	$(BIN)/segments publish
	$(BIN)/python -c "import duckdb; print(duckdb.connect('target/published/segments.duckdb', read_only=True).sql(\
	\"select as_of_date, sum(members) as memberships, sum(entered) as entered, sum(exited) as exited \
	from segment_daily_sizes group by 1 order by 1\"))"

docs: $(VENV)/.installed-runtime
	$(BIN)/dbt docs generate --vars '{as_of: "$(DEMO_AS_OF)"}'
	@echo "Serve them with: $(BIN)/dbt docs serve --port 8080"

# The dashboard of the demo warehouse (after `make demo`): target/report.html.
report: $(VENV)/.installed-runtime
	$(BIN)/segments report

# The scale benchmark: 1M contacts / ~50M events (generated once into data/), a full
# build and one incremental day. Not part of `make test`; see README "Performance".
BENCH_ARGS ?=
benchmark: $(VENV)/.installed-dev
	$(BIN)/segments benchmark $(BENCH_ARGS)

clean:
	rm -rf target logs $(VENV)
