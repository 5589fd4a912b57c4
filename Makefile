# Two commands do all set-up on a fresh machine:
#   make demo   install, then start the registry with demo data at http://127.0.0.1:8000
#   make test   install (the test tools too), then run the whole test suite
#   make quality  only the browse/search tests and the quality gate (docs/search.md)
# Not Debian's /usr/bin/python3 (3.11.2), though its build (PGO, LTO) makes the static build ~7%
# faster: its re module mishandles the possessive quantifiers the SPARQL guard is written with, and
# the guard then misses SERVICE clauses (registry/sparql/guard.py refuses to load on it; docs/site.md).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# apt-get as root, else through sudo.
APT     = DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get

.PHONY: install native test-tools demo test quality bench clean

$(BIN)/registry: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,native]'
	touch $(BIN)/registry

# The modules a static build spends its time in, compiled with mypyc (registry/native.py), again
# whenever one of them changes (`make native`: now); without a compiler the sources run.
NATIVE_SOURCES = registry/pages.py registry/schemaorg.py registry/formats.py registry/vocab.py registry/namespaces.py \
                 registry/paths.py registry/ingest/contexts.py registry/native.py
NATIVE_BUILD = $(BIN)/python -c 'import sys, registry.native as n; sys.exit(n.main(["build"]))'
$(VENV)/native-built: $(NATIVE_SOURCES) $(BIN)/registry
	@$(NATIVE_BUILD) && touch $@ \
	  || echo "warning: the modules were not compiled: the sources run (docs/site.md, Compiled modules)" >&2

native: $(BIN)/registry
	$(NATIVE_BUILD) && touch $(VENV)/native-built

install: $(BIN)/registry $(VENV)/native-built

# What the browser and HTML tests (tests/test_quality.py, tests/test_search.py) use besides Python:
# Debian's chromium and a Java runtime for the Nu Html Checker, each installed only when missing, and
# axe-core + vnu-jar from the npm registry (package.json, package-lock.json). A tool that cannot be
# installed only warns here: its tests skip, and fail under CI=true.
test-tools: node_modules/.package-lock.json
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  { $(APT) update && $(APT) install -y $$missing; } \
	  || echo "warning: could not install$$missing: the browser/HTML tests will skip (fail under CI=true)" >&2; \
	fi

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { $(APT) update && $(APT) install -y npm; } \
	  || echo "warning: npm is missing and could not be installed" >&2
	@# --ignore-scripts: vnu-jar's postinstall would download a Java; Debian's is used instead.
	npm ci --ignore-scripts --no-audit --no-fund && touch $@ \
	  || echo "warning: npm ci failed: axe-core and vnu.jar are missing (their tests skip, fail under CI=true)" >&2

demo: install
	$(BIN)/registry serve --demo

test: install test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

quality: install test-tools
	$(BIN)/python -m pytest tests/test_search.py tests/test_quality.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) registry-data node_modules registry/_native registry/*.so .mypy_cache
