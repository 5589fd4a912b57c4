# Two commands do all set-up on a fresh machine:
#   make demo   install, then start the registry with demo data at http://127.0.0.1:8000
#   make test   install, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: install demo test bench clean

$(BIN)/registry: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/registry

install: $(BIN)/registry

demo: install
	$(BIN)/registry serve --demo

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) registry-data
