# Build, preview, test and publish the site. Every target sets up what it needs.
# The public interface (kept stable): html, serve, devserver, publish, test,
# clean, bench, lock.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
export PYTHONPATH := $(CURDIR)/plugins
export PYTHONDONTWRITEBYTECODE := 1
LINT_PATHS := plugins tests tools pelicanconf.py publishconf.py $(wildcard content/charts)

# The tests run in a random order (pytest-randomly; the seed is printed, and
# PYTEST_ARGS="-n auto --dist loadscope --randomly-seed=N" repeats an order) and on every
# core (pytest-xdist), each test file's tests kept on one worker so a site a
# file builds once is built once. PYTEST_ARGS="-n 0" runs them in one process.
PYTEST_ARGS ?= -n auto --dist loadscope

.PHONY: html serve devserver publish test lint clean lock catalogs compile-catalogs bench system expected

# The virtual environment is rebuilt whenever a lock file is newer than it.
$(VENV)/.build-installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.build-installed requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $@

# Operating-system packages: the CJK font for chart images, and for tests
# Chromium. Installed with apt when the machine has it and we are root.
system:
	@bash tools/setup-system.sh build

# Interface strings: `make catalogs` extracts every _("...") from the
# templates into messages.pot and updates each language's messages.po (then
# translate the empty msgstr entries). The build compiles the catalogs.
CATALOG_DIR := theme/translations
catalogs: $(VENV)/.build-installed
	PYTHONPATH=plugins $(VENV)/bin/pybabel extract -F $(CATALOG_DIR)/babel.cfg --no-location --sort-output --omit-header -o $(CATALOG_DIR)/messages.pot .
	$(VENV)/bin/pybabel update -i $(CATALOG_DIR)/messages.pot -d $(CATALOG_DIR) --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

compile-catalogs: $(VENV)/.build-installed
	$(VENV)/bin/pybabel compile -d $(CATALOG_DIR) --statistics

html: $(VENV)/.build-installed system compile-catalogs
	$(PY) -m strictbuild --settings $(SETTINGS) --output $(OUTPUT)

publish: $(VENV)/.build-installed system compile-catalogs
	@test -n "$$SITEURL" || { echo "make publish: set SITEURL, e.g. SITEURL=https://user.github.io/repo" >&2; exit 2; }
	$(PY) -m strictbuild --settings publishconf.py --output $(OUTPUT)

serve: $(VENV)/.build-installed
	$(PY) -m pelican --listen --port $(PORT) --output $(OUTPUT) --settings $(SETTINGS)

devserver: $(VENV)/.build-installed system
	$(PY) -m strictbuild --settings $(SETTINGS) --output $(OUTPUT) --watch --serve --port $(PORT)

# The Nu Html Checker (npm vnu-jar), pinned by tools/checks/package-lock.json.
tools/checks/node_modules/.installed: tools/checks/package.json tools/checks/package-lock.json
	cd tools/checks && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

test: $(VENV)/.dev-installed tools/checks/node_modules/.installed
	@bash tools/setup-system.sh test
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m ruff format --check $(LINT_PATHS)
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m mypy

# Regenerate both lock files from requirements*.in (needs the network).
lock: $(VENV)/.build-installed
	$(PY) -m pip install --quiet pip-tools
	$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.lock requirements.in
	$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements-dev.lock requirements-dev.in

# Regenerate the committed expected output of the fixture site after an
# intended change to the Markdown reader; review the diff before committing.
expected: $(VENV)/.dev-installed
	REGENERATE_EXPECTED=1 $(PY) -m pytest -q tests/build/test_fixture_site.py

# Build speed at scale, side by side with plain Pelican, and page weight of
# the real site, with budgets (see bench/README.md). BENCH_SIZES=100,500
# shortens it; the tables are written to bench/results/ (not committed).
# BENCH_READER=0 skips the reader side (page weight and Lighthouse).
BENCH_CHART_COUNTS ?= 10 100 500
BENCH_READER ?= 1
tools/bench/node_modules/.installed: tools/bench/package-lock.json
	@bash tools/setup-system.sh bench
	cd tools/bench && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

bench: $(VENV)/.dev-installed system tools/bench/node_modules/.installed
	@bash tools/setup-system.sh bench
	@mkdir -p bench/results
	$(PY) tools/bench/run.py
	$(PY) tools/bench_charts.py --counts $(BENCH_CHART_COUNTS) > bench/results/charts-latest.txt
	@cat bench/results/charts-latest.txt
	@if [ "$(BENCH_READER)" != 0 ]; then \
	  $(PY) -m strictbuild --settings $(SETTINGS) --output $(OUTPUT) && \
	  $(PY) tools/bench/reader_side.py --output $(OUTPUT); fi

clean:
	rm -rf $(OUTPUT) .cache .pytest_cache .mypy_cache .ruff_cache
