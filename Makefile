# monitor: the two quickstart targets are `make demo` and `make test` (README).
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 180

# the test suite's processes (pytest-xdist): one per core, at most 4; a file's tests stay in
# one process, so that a module's fixtures (a sample night) are built once
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(4, len(os.sched_getaffinity(0))))")

SAMPLE_AS_OF := 2026-11-15
PREVIOUS_AS_OF := 2026-10-15
DEMO_OUT := demo/out
DEMO_STATE := demo/state/monitor.duckdb

.PHONY: setup demo test lint typecheck check sample clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

## setup: install the locked environment into .venv (uv.lock; the machine's own Python)
setup: $(UV)
	$(UV) sync --frozen --python $(PYTHON) --compile-bytecode --quiet

## demo: set up, then run the nightly flow on the bundled sample city: the night of the
## previous HR snapshot (a month earlier), then the sample's night (its summary is printed)
demo: setup
	rm -rf demo
	$(VENV)/bin/monitor run sample_data/previous --out demo/out-previous --state $(DEMO_STATE) --as-of $(PREVIOUS_AS_OF) > /dev/null
	$(VENV)/bin/monitor run sample_data/input --out $(DEMO_OUT) --state $(DEMO_STATE) --as-of $(SAMPLE_AS_OF)

## lint: ruff lint and format check
lint: setup
	$(VENV)/bin/ruff check src tests bench tools packages
	$(VENV)/bin/ruff format --check src tests bench tools packages

## typecheck: mypy on the package (flows included) and the generator (packages/citygen)
typecheck: setup
	$(VENV)/bin/mypy

## test: set up, then lint, type-check and run the test suite
test: lint typecheck
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist loadfile

## sample: regenerate the committed sample city (citygen, a dev dependency: packages/citygen)
sample: setup
	rm -rf sample_data
	$(VENV)/bin/citygen generate sample_data --people 3000 --seed 20261115 --as-of $(SAMPLE_AS_OF)

clean:
	rm -rf $(VENV) $(TOOLS) demo .prefect .pytest_cache .mypy_cache .ruff_cache
