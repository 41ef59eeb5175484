# Two commands on a fresh machine: `make demo` builds seeds/ into output/, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test typecheck bench clean system

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build seeds -o output

typecheck: $(STAMP)
	$(BIN)/mypy

# Test tools from Debian: chromium and its driver for the HTML tests, Virtuoso for the
# triple-store test. CI runs as root on a fresh Debian machine; install only what is missing.
SYSTEM_TOOLS := /usr/bin/chromium /usr/bin/chromedriver /usr/bin/virtuoso-t
system:
	@for tool in $(SYSTEM_TOOLS); do [ -x $$tool ] || missing=1; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium chromium-driver virtuoso-opensource >/dev/null; fi

test: $(STAMP) system typecheck
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.pipeline

clean:
	rm -rf $(VENV) output/graph.* .pytest_cache .mypy_cache
