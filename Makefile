# Two commands on a fresh machine with Python >= 3.11 and make:
#   make demo   install into .venv, generate 3 demo stores, write every report
#   make test   install into .venv (or reuse it) and run the whole test suite
#   make bench  benchmarks (20-40 min): benchmarks/results.json and docs/benchmarks.md
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.wxshop-installed
JOBS   ?= 2
DEMO_STORES    ?= 3
DEMO_CUSTOMERS ?= 20000
DEMO_SEED      ?= 7

.PHONY: install demo demo-data sample test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "wxshop needs Python >= 3.11; set PYTHON=python3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo-data: $(STAMP)
	$(BIN)/wxshop demo-data --stores $(DEMO_STORES) --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) --out data/demo

demo: demo-data
	$(BIN)/wxshop run --jobs $(JOBS)

# The tiny store committed in data/sample/ (notebook defaults); regenerate only on purpose.
sample: $(STAMP)
	$(BIN)/wxshop demo-data --stores 1 --customers 300 --seed 1 --format csv --out data --names sample

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check lib tests notebooks tools

# Speed and memory against the plain papermill + nbconvert CLIs (tools/bench_all.py; BENCH_ARGS=--quick
# for a short development run that leaves docs/benchmarks.md alone).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python tools/bench_all.py $(BENCH_ARGS)

clean:
	rm -rf reports/*/ reports/index.html data/demo
