# Two commands do the whole set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench clean system-libs

# The virtual environment is rebuilt whenever the dependencies or their pins change.
$(STAMP): pyproject.toml constraints.txt scripts/check_system_libs.py
	@$(PYTHON) scripts/check_system_libs.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

system-libs:
	@$(PYTHON) scripts/check_system_libs.py

run: $(STAMP)
	$(BIN)/accmgr $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check accmgr tests bench scripts
	$(BIN)/ruff format --check accmgr tests bench scripts
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n auto

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/tui.py
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
