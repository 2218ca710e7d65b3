# newsmon: every target sets up what it needs from nothing (virtual environment, packages, chromium).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test lint bench soak browser bytecode clean help

help:
	@echo "make demo   - run the whole job on the embedded defaults (replay site on loopback)"
	@echo "make test   - the test suite (installs chromium for the web UI test when missing)"
	@echo "make lint   - ruff"
	@echo "make bench  - benchmarks -> bench/results.json and docs/benchmarks.md"
	@echo "make soak   - the long fault-injection runs"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed; installing Debian's python3-venv"; \
	  apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,bench,lint]'
	@touch $(STAMP)

# Bytecode of newsmon's own packages, as a regular (non-editable) install has it: every crawl process
# otherwise compiles ~100 modules again (~0.15 s each start) when PYTHONDONTWRITEBYTECODE is set.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q spiders monitor storage >/dev/null

browser: $(STAMP)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v npm >/dev/null || { \
	  echo "installing Debian's chromium, chromium-driver and npm for the web UI test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver npm >/dev/null; }
	@test -f $(VENV)/axe-core/axe.min.js || { \
	  echo "fetching axe-core (MPL-2.0) from the npm registry for the accessibility check"; \
	  mkdir -p $(VENV)/axe-core && cd $(VENV)/axe-core && npm pack axe-core@4 --silent >/dev/null && \
	  tar -xzf axe-core-*.tgz package/axe.min.js package/LICENSE && mv package/axe.min.js package/LICENSE . && \
	  rm -rf package axe-core-*.tgz; }

demo: $(STAMP) bytecode
	$(BIN)/python -m tests.demo

test: $(STAMP) browser bytecode
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP) bytecode
	$(BIN)/python -m bench

soak: $(STAMP)
	$(BIN)/python -m pytest -q -m soak --run-soak $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache
