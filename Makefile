# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench soak clean mermaid-check

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
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

## bench: benchmarks (ratios measured side by side); see bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python -m bench

## soak: the integration suite SOAK_RUNS times (default 5); lists every test that failed in any run
soak: $(STAMP)
	$(BIN)/python -m bench.soak

## mermaid-check: render every mermaid block of the example reports with Mermaid in headless
## Chromium, light and dark (needs node, npm and Debian's chromium); PNGs in bench/mermaid/out
MERMAID := bench/mermaid
MERMAID_FILES ?= docs/example-report*.md
mermaid-check: $(MERMAID)/node_modules/.package-lock.json
	node $(MERMAID)/render.mjs --out $(MERMAID)/out $(MERMAID_FILES)

# npm ci installs the versions package-lock.json pins; never a browser (Debian's is used).
$(MERMAID)/node_modules/.package-lock.json: $(MERMAID)/package.json $(MERMAID)/package-lock.json
	cd $(MERMAID) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

clean:
	rm -rf $(VENV) reports/*.xml reports/*.md
