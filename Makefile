# Two commands on a fresh machine: `make demo` builds seeds/ into output/, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test typecheck bench clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build seeds -o output

typecheck: $(STAMP)
	$(BIN)/mypy

# The HTML tests drive Debian's chromium; install it (CI runs as root on fresh Debian) only when missing.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get update && apt-get install -y chromium chromium-driver; fi

test: $(STAMP) browser typecheck
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) output/graph.* .pytest_cache .mypy_cache
