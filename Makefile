# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast lint setup clean demo demo-server build test-built bench-sync

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

# Sync benchmark (issue 8, bench/README.md): Contactbox vs vdirsyncer vs the protocol floor at
# 1,000 and 10,000 cards (vdirsyncer is installed into bench/.venv-vdirsyncer on first use).
# More: make bench-sync BENCH_ARGS="--big" (adds 50,000), BENCH_ARGS="--quick" (100 cards).
bench-sync: setup
	$(BIN)/python -m bench.sync run $(BENCH_ARGS)

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q $(PYTEST_ARGS)

# Everything except the 1,000-card tests.
test-fast: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -m "not slow" $(PYTEST_ARGS)

# Style and types, the layer contracts and declared dependencies (tests/unit/test_architecture.py,
# docs/ARCHITECTURE.md "The map"), and unused code: vulture over app/ and ui/, with tests/ and
# bench/ counted as users; its false positives (Qt overrides, peewee's Meta, ...) are named in
# vulture_whitelist.py, real findings are removed.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy app ui
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider \
	  tests/unit/test_architecture.py -k "contracts or cycles or declared"
	@found=$$($(BIN)/vulture app ui tests bench vulture_whitelist.py --min-confidence 60 \
	  | grep -E '^(app|ui)/'); \
	if [ -n "$$found" ]; then \
	  echo "$$found"; echo "make lint: unused code (remove it; a false positive goes into vulture_whitelist.py)"; \
	  exit 1; \
	fi

# The self-contained app (issue 7): dist/contactbox/ with contactbox and contactbox-sync.
# docs/INSTALL.md says how to install it (and how to build on Windows/macOS).
build: setup
	$(BIN)/pip install -q -e '.[build]'
	$(BIN)/pyinstaller --noconfirm --log-level WARN build_installer.spec
	@du -sh dist/contactbox

# The built binaries, not the source: version, self-test, a real Radicale import, install.sh.
# Headless: passwords go to keyrings.alt's plain-text file in a throw-away XDG_DATA_HOME.
BUILT_APP ?= $(CURDIR)/dist/contactbox

test-built: setup
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	export XDG_DATA_HOME="$$tmp/xdg" PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring && \
	"$(BUILT_APP)/contactbox" --version && \
	"$(BUILT_APP)/contactbox-sync" --version && \
	QT_QPA_PLATFORM=offscreen "$(BUILT_APP)/contactbox" --self-test --home "$$tmp/home"
	QT_QPA_PLATFORM=offscreen CONTACTBOX_BUILT_APP="$(BUILT_APP)" \
	  $(BIN)/pytest -q -rs tests/packaging $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
