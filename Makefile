# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast lint setup clean demo demo-server

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/contactbox

# A local Radicale with a few hundred contacts, a demo account and the window, in one go.
demo: setup
	$(BIN)/python -m bench.demo $(DEMO_ARGS)

# A local Radicale with 1,000 realistic contacts to try every operation against.
demo-server: setup
	$(BIN)/python -m bench.demo_server $(DEMO_ARGS)

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q $(PYTEST_ARGS)

# Everything except the 1,000-card tests.
test-fast: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -m "not slow" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy app

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
