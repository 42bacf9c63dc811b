# Two commands on a fresh machine: `make` (set up, validate, build) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)
RUN := PYTHONPATH=scripts $(BIN)/python -m origins

.PHONY: all setup validate build test fmt docs release coverage bench snapshots clean
.DEFAULT_GOAL := all

all: build

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

validate: $(STAMP)
	$(RUN) validate

build: $(STAMP)
	$(RUN) build

fmt: $(STAMP)
	$(RUN) fmt

docs: build
	$(RUN) docs

bench: $(STAMP)
	$(RUN) bench $(BENCH_ARGS)

# Fill the source archive (the user cache) from the network; offline it says so and changes nothing.
# SNAPSHOT_ARGS passes options, e.g. SNAPSHOT_ARGS=--restore (CI) or SNAPSHOT_ARGS="--source src-x --refresh".
snapshots: $(STAMP)
	$(RUN) snapshot $(SNAPSHOT_ARGS)

coverage: $(STAMP)
	$(RUN) coverage

release: $(STAMP)
	$(RUN) release

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) dist .pytest_cache .ruff_cache
	find build -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
