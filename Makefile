# Two commands on a fresh machine: `make demo` builds seeds/ into output/, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test typecheck bench bench-speed clean

# setup.py compiles kg/_cut.c into the checkout (pip install -e): a change to either rebuilds it
$(STAMP): pyproject.toml setup.py kg/_cut.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools>=77"
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build seeds -o output

typecheck: $(STAMP)
	$(BIN)/mypy

# Any user, no root: tests that need chromium or Virtuoso skip, saying why, when they are absent.
# .ci/run installs them and sets KG_REQUIRE_SYSTEM_TOOLS=1, which turns those skips into failures.
test: $(STAMP) typecheck
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.pipeline

# kg build end to end against plain jieba.cut on a varied corpus of 1,000 and 10,000 pages (docs/performance.md)
bench-speed: $(STAMP)
	$(BIN)/python -m benchmarks.speed

clean:
	rm -rf $(VENV) output/graph.* .pytest_cache .mypy_cache
