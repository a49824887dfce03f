# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint docs bench soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: create the venv, install, and run the gate against the embedded sandbox
demo: $(STAMP)
	$(BIN)/pytest --sandbox

## test: the project's own tests (unit, and the gate driven through pytester)
test: $(STAMP)
	$(BIN)/pytest tests/unit tests/integration -p xdist -n 2

## lint: ruff, mypy --strict on src/, and the import rules of pyproject.toml (import-linter)
lint: $(STAMP)
	$(BIN)/ruff check src tests bench docsgen
	$(BIN)/ruff format --check src tests bench docsgen
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

## docs: the documentation site, from docs/ into site/ (mkdocs.yml); a broken link, a page left
## out of the navigation or a reference page that cannot be rendered fails the build
docs: $(STAMP)
# mermaid-check (the report's Mermaid charts, rendered) runs here first: the lead wires it.
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## bench: benchmarks (ratios measured side by side); see bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python -m bench

## soak: the integration suite SOAK_RUNS times (default 5); lists every test that failed in any run
soak: $(STAMP)
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) site reports/*.xml reports/*.md
