# The two commands of README.md: `make demo` and `make test`. Nothing else needs preparing:
# the first run creates .venv and installs the pinned dependencies (requirements.lock).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
PIP_VERSION := 26.3

.PHONY: install demo serve test lint typecheck pytest schema bench lock clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "error: cannot create $(VENV); on Debian: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]' \
		-e examples/acme-hub-connector
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hub demo

serve: $(STAMP)
	$(BIN)/hub serve

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# The bench extra: Splink (the identity-resolution peer), DuckDB and the FEBRL data sets.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

# Every benchmark at a modest size (docs/benchmarks.md has the full-size commands); the Shopify
# one also runs on PostgreSQL when HUB_BENCH_POSTGRES_URL is set.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/bench_sync.py --rows 20000
	$(BIN)/python bench/bench_shopify_sync.py --customers 10000 --repeat 1
	$(BIN)/python bench/bench_identity_accuracy.py --synthetic 20000
	$(BIN)/python bench/bench_identity_speed.py --sizes 100000 --splink-sizes 100000

schema: $(STAMP)
	$(BIN)/hub schema export

# Re-pin every dependency, the bench extra included, after changing pyproject.toml.
lock: $(BENCH_STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^customer360-hub' > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache demo.db* hub.db*
