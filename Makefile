# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint docs mermaid-check mermaid-deps bench soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: create the venv, install, and run the gate against the embedded sandbox
demo: $(STAMP)
	$(BIN)/pytest --sandbox

## test: the project's own tests (unit, and the gate driven through pytester)
## (the Mermaid render test runs where node, npm and Debian's chromium are; it says so when skipped)
test: $(STAMP) mermaid-deps
	$(BIN)/pytest tests/unit tests/integration -p xdist -n 2

## lint: ruff, mypy --strict on src/, and the import rules of pyproject.toml (import-linter)
lint: $(STAMP)
	$(BIN)/ruff check src tests bench docsgen
	$(BIN)/ruff format --check src tests bench docsgen
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

## docs: the documentation site, from docs/ into site/ (mkdocs.yml); a broken link, a page left
## out of the navigation or a reference page that cannot be rendered fails the build; the
## example reports' Mermaid charts are rendered first (mermaid-check)
docs: $(STAMP) mermaid-check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

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
CHROMIUM := /usr/bin/chromium
mermaid-check: $(MERMAID)/node_modules/.package-lock.json $(CHROMIUM)
	node $(MERMAID)/render.mjs --out $(MERMAID)/out $(MERMAID_FILES)

# The npm packages of the render, where npm is (the render's test is skipped without them).
mermaid-deps:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(MERMAID)/node_modules/.package-lock.json; \
	else echo "npm not found: the Mermaid render test will be skipped"; fi

# npm ci installs the versions package-lock.json pins; never a browser (Debian's is used).
$(MERMAID)/node_modules/.package-lock.json: $(MERMAID)/package.json $(MERMAID)/package-lock.json
	cd $(MERMAID) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

# Debian's Chromium, the browser the render uses (as root, or through sudo).
$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) sh -c 'apt-get update -q && apt-get install -y -q chromium'

clean:
	rm -rf $(VENV) site $(MERMAID)/out reports/*.xml reports/*.md
