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

.PHONY: demo test check check-build test-engines lint pytest browser demo-data docs backfill-demo report benchmark properties clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# Builds target/segments.duckdb (the build's own file) for a month of history, then as of
# DEMO_AS_OF with every test and, when every test passed, publishes the marts to
# target/published/segments.duckdb, the file readers open.
demo: $(VENV)/.installed-runtime
	$(BIN)/python scripts/backfill.py $(DEMO_HISTORY) --no-tests --skip-older
	$(BIN)/python scripts/build.py --as-of $(DEMO_AS_OF)
	$(BIN)/python scripts/summary.py

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

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check scripts tests python models
	$(BIN)/ruff format --check scripts tests python models
	$(BIN)/mypy scripts tests python models
	$(BIN)/sqlfluff lint --processes 2 models tests/data

# The invariants of tests/python/test_properties.py on 1,000 random data sets each (about 20 min);
# make test checks 25 each.
properties: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_properties.py --datasets 1000

pytest: $(VENV)/.installed-dev browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

# The same models on other engines (README "Other engines"): builds the demo fixture
# there, runs its dbt tests and compares the marts with DuckDB's, row for row.
$(VENV)/.installed-engines: requirements-engines.txt requirements-dev.txt requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-engines.txt
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed-runtime

test-engines: $(VENV)/.installed-engines
	scripts/start_postgres.sh
	$(BIN)/pytest -n $(PYTEST_WORKERS) tests/engines

# Debian's Chromium, for the dashboard test (Playwright drives the system browser).
browser:
	scripts/install_chromium.sh

# Regenerate the committed demo seeds (deterministic).
demo-data: $(VENV)/.installed-runtime
	$(BIN)/python scripts/generate_data.py --out seeds/demo

# A month of segment history for the demo warehouse. The demo's own history is
# reset first (history only moves forward, and `make demo` records its last day).
backfill-demo: $(VENV)/.installed-runtime
	$(BIN)/dbt run-operation reset_segment_history --args '{confirm: true}'
	$(BIN)/python scripts/backfill.py --start 2026-10-02 --end $(DEMO_AS_OF)
	$(BIN)/python scripts/publish.py
	$(BIN)/python -c "import duckdb; print(duckdb.connect('target/published/segments.duckdb', read_only=True).sql(\
	\"select as_of_date, sum(members) as memberships, sum(entered) as entered, sum(exited) as exited \
	from segment_daily_sizes group by 1 order by 1\"))"

docs: $(VENV)/.installed-runtime
	$(BIN)/dbt docs generate --vars '{as_of: "$(DEMO_AS_OF)"}'
	@echo "Serve them with: $(BIN)/dbt docs serve --port 8080"

# The dashboard of the demo warehouse (after `make demo`): target/report.html.
report: $(VENV)/.installed-runtime
	$(BIN)/python scripts/report.py

# The scale benchmark: 1M contacts / ~50M events (generated once into data/), a full
# build and one incremental day. Not part of `make test`; see README "Performance".
BENCH_ARGS ?=
benchmark: $(VENV)/.installed-runtime
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

clean:
	rm -rf target logs $(VENV)
