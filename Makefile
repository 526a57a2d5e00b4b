# Two commands on a fresh machine with Python 3.11+: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test install install-dev lint bench bench-deid clean

$(BIN)/.installed: requirements/base.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements/base.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements/dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements/dev.txt
	@touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

run: install
	$(BIN)/confide migrate
	$(BIN)/confide demo --if-empty
	$(BIN)/confide serve --port $(PORT) --with-worker

lint: install-dev
	$(BIN)/lint-imports --config pyproject.toml

# Two workers (pytest-xdist; an idle one takes queued tests from the other): the machines
# this runs on have two cores. TEST_ARGS adds pytest arguments, e.g.
# make test TEST_ARGS='-m "not e2e"'.
TEST_WORKERS ?= 2
test: install-dev lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(TEST_ARGS)

bench: install-dev
	$(BIN)/python bench/run_all.py

# De-identification benchmark: Confide against Presidio, in its own venv so that the
# product venv never gets spaCy. Extra arguments: make bench-deid DEID_ARGS="--repeat 5".
BENCH_VENV := .venv-bench
$(BENCH_VENV)/bin/.installed: requirements/base.txt requirements/bench.txt requirements/bench-nodeps.txt pyproject.toml
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements/base.txt -r requirements/bench.txt
	$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements/bench-nodeps.txt
	$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

bench-deid: $(BENCH_VENV)/bin/.installed
	$(BENCH_VENV)/bin/python bench/deid_eval.py $(DEID_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) var build src/*.egg-info
