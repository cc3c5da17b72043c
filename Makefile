# cnnbook - every target sets up what it needs (a .venv) on a fresh machine.
# `make help` lists the targets.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip
# pytest workers; site and browser tests share one worker (xdist_group "site").
JOBS   ?= 2

.DEFAULT_GOAL := help
.PHONY: help install serve docs pdf figures test lint bench clean

help:  ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[train,torch,docs,test,dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install cnnbook with every extra (torch==2.13.0 CPU)

figures: $(STAMP)  ## render the site's figures and animations (only those whose inputs changed)
	$(BIN)/python scripts/render_figures.py

docs: figures  ## build the whole site strictly into site/
	$(BIN)/mkdocs build --strict

# The PDF is printed by Debian's Chromium (CNNBOOK_CHROMIUM names another binary) and
# written to a temporary file, renamed over site/cnnbook.pdf only when complete.
pdf: docs  ## print the whole site, in navigation order, into site/cnnbook.pdf
	$(BIN)/python scripts/build_pdf.py site site/cnnbook.pdf

# serve is not strict: a dirty rebuild always warns, and a typo must not stop the server
# (make docs and make test build strictly).
serve: figures  ## serve the site on http://127.0.0.1:8000, re-rendering only edited pages
	$(BIN)/mkdocs serve --no-strict --dirty -a 127.0.0.1:8000

# One BLAS/OpenMP thread per worker: two workers on two cores, each with torch's and OpenBLAS's
# own threads, oversubscribe the cores and spin-wait (a torch backward slowed ~100x under load).
test: $(STAMP)  ## run the whole suite: unit, property, doctests, cross-checks, site and browser
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
		$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

lint: $(STAMP)  ## ruff (with docstring rules) and mypy
	$(BIN)/ruff check cnnbook tests scripts
	$(BIN)/ruff format --check cnnbook tests scripts
	$(BIN)/mypy

bench: $(STAMP)  ## print benchmark tables (cnnbook vs torch, same run, same threads)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python scripts/bench.py

clean:  ## remove the built site and caches (keeps .venv)
	rm -rf site .pytest_cache .hypothesis .mypy_cache .ruff_cache
