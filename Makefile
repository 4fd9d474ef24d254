# Two commands on a fresh machine with Python >= 3.11 and make:
#   make demo   install into .venv, generate 3 demo stores, write every report
#   make test   install into .venv (or reuse it) and run the whole test suite (about 6 min on 2 cores)
#   make test-fast  the edit loop (about a minute): the suite without the `slow` tests
#   make bench  benchmarks (20-40 min): benchmarks/results.json and docs/benchmarks.md
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.wxshop-installed
JOBS   ?= 2
DEMO_STORES    ?= 3
DEMO_CUSTOMERS ?= 20000
DEMO_SEED      ?= 7

.PHONY: install demo demo-data sample test test-fast lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "wxshop needs Python >= 3.11; set PYTHON=python3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,pdf]'
	@touch $(STAMP)

demo-data: $(STAMP)
	$(BIN)/wxshop demo-data --stores $(DEMO_STORES) --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) --out data/demo

demo: demo-data
	$(BIN)/wxshop run --jobs $(JOBS)

# The tiny store committed in data/sample/ (notebook defaults); regenerate only on purpose.
sample: $(STAMP)
	$(BIN)/wxshop demo-data --stores 1 --customers 300 --seed 1 --format csv --out data --names sample

# The whole suite, as CI runs it (.ci/run): unit tests, doctests, ruff, every notebook run, one
# shared demo batch (tests/conftest.py: demo_project) read by the report, browser and batch tests,
# and a real local Dask cluster. The browser tests skip when no Chromium is found.
# TEST_WORKERS pytest-xdist processes share the work, a test module (or notebook) at a time
# (TEST_WORKERS=0: all in this process).
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

# The edit loop: every test not marked `slow`, the doctests of lib/wxshop, and ruff (tests/test_lint.py).
# Leaves out what runs notebooks or batches: the demo batch and every test reading it (A/B, user
# profiling and product selection reports, report scans, browser), notebooks run end to end,
# the batch runner, warm kernels and the Dask cluster end to end, and the HTML export of an
# executed notebook.
# Run `make test` before you push.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q -n $(TEST_WORKERS) --dist loadscope

lint: $(STAMP)
	$(BIN)/ruff check lib tests notebooks tools

# Speed and memory against the plain papermill + nbconvert CLIs (tools/bench_all.py; BENCH_ARGS=--quick
# for a short development run that leaves docs/benchmarks.md alone).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python tools/bench_all.py $(BENCH_ARGS)

clean:
	rm -rf reports/*/ reports/index.html data/demo

# docs/definitions.md: every report figure's formula, window and unit, zh and en, generated from the
# report strings (tests/report/test_definitions.py fails while it is stale).
.PHONY: definitions
definitions: $(STAMP)
	$(BIN)/python -m wxshop.report.definitions docs/definitions.md

# Regenerate the nbval references (tests/notebooks/*.ipynb, executed on data/sample) on purpose,
# after a change meant to move a notebook's output; review the diff before committing.
.PHONY: nbval-refs
nbval-refs: $(STAMP)
	$(BIN)/python tests/notebooks/nbval_refresh.py
