# Læra. `make demo` runs the demo organisation locally; `make test` runs every check there is.

PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist worksteal
CHROMIUM := /usr/bin/chromium

# The embedded SQLite database and collected files live here. Made absolute so that
# `make messages`, which runs from inside laera/, uses the same folder.
override LAERA_DATA_DIR := $(abspath $(or $(LAERA_DATA_DIR),var))
export LAERA_DATA_DIR

VENV := .venv
BIN := $(VENV)/bin
LAERA := $(CURDIR)/$(BIN)/laera
# The project is (re)installed only when pyproject.toml changes: the stamps are keyed on its checksum.
CHECKSUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
INSTALLED := $(VENV)/.installed-$(CHECKSUM)
INSTALLED_DEV := $(VENV)/.installed-dev-$(CHECKSUM)
CHECK_PYTHON := $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "$(VENV) runs $$($(BIN)/python -V 2>&1); Læra needs 3.11 or newer. Remove $(VENV) and try again." >&2; exit 1; }

# $(call apt_install,PROGRAM,PACKAGE): when PROGRAM is missing and we are root, install PACKAGE
# quietly with apt-get, refreshing the package lists only if the first attempt fails.
define apt_install
if ! command -v $(1) >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
  echo "Installing $(2) with apt-get ..."; \
  export DEBIAN_FRONTEND=noninteractive; \
  apt-get install -y -qq $(2) >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $(2) >/dev/null 2>&1; } \
    || echo "Could not install $(2) with apt-get." >&2; \
fi
endef

# WeasyPrint (the plan as PDF) needs Pango and HarfBuzz from Debian, and DejaVu fonts for æøå.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
define pdf_libraries
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
  echo "Installing $(PDF_PACKAGES) with apt-get ..."; \
  export DEBIAN_FRONTEND=noninteractive; \
  apt-get install -y -qq $(PDF_PACKAGES) >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $(PDF_PACKAGES) >/dev/null 2>&1; } \
    || echo "Could not install $(PDF_PACKAGES) with apt-get." >&2; \
fi
endef

.PHONY: demo test lint format messages bench clean

demo: $(INSTALLED)
	@$(pdf_libraries)
	$(LAERA) compilecatalogues
	$(LAERA) migrate --noinput
	$(LAERA) demo
	@echo
	@echo "Læra is running at http://127.0.0.1:$(PORT), with a background worker  (Ctrl+C stops both)"
	@echo
	@# The worker runs beside the server; whichever way the server stops, the worker is stopped with it. Ctrl+C
	@# reaches the worker too, which finishes what it is doing and stops: it is given five seconds for that
	@# before it is told to stop again, as a second signal makes it stop at once (and say so with a traceback).
	@SITE_URL=http://127.0.0.1:$(PORT) $(LAERA) worker & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT TERM; \
	  trap 'for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $$worker 2>/dev/null || break; sleep 0.5; done; \
	    kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' INT; \
	  $(LAERA) runserver 127.0.0.1:$(PORT) --noreload

test: $(INSTALLED_DEV)
	@$(call apt_install,$(CHROMIUM),chromium)
	@$(call apt_install,msgfmt,gettext)
	@$(pdf_libraries)
	$(LAERA) compilecatalogues
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy laera
	$(BIN)/lint-imports
	@if [ -x $(CHROMIUM) ]; then \
	  echo "$(BIN)/pytest $(PYTEST_ARGS)"; \
	  $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$${CI:-}" = true ]; then \
	  echo "$(CHROMIUM) is missing, so the browser tests cannot run; CI=true does not allow skipping them." >&2; \
	  echo "Install Debian's chromium package (apt-get install chromium) and run make test again." >&2; \
	  exit 1; \
	else \
	  skipped="NOTE: browser tests skipped: $(CHROMIUM) is missing (install Debian's chromium package, or run make test as root)."; \
	  echo "$$skipped"; \
	  status=0; $(BIN)/pytest $(PYTEST_ARGS) -m "not browser" || status=$$?; \
	  echo "$$skipped"; \
	  exit $$status; \
	fi

lint: $(INSTALLED_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy laera
	$(BIN)/lint-imports

format: $(INSTALLED_DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(INSTALLED_DEV)
	@$(call apt_install,xgettext,gettext)
	cd laera && $(LAERA) makemessages -l nb -l nn -l sv -l da -l en --no-obsolete --no-location
	$(LAERA) compilecatalogues

bench: $(INSTALLED_DEV)
	@found=; for script in bench/*.py; do \
	  [ -f "$$script" ] || continue; found=1; \
	  echo "== $$script"; $(BIN)/python "$$script" || exit 1; \
	done; \
	[ -n "$$found" ] || echo "There are no benchmarks in bench/."

clean:
	rm -rf test-artifacts test-results build dist .mypy_cache .ruff_cache .pytest_cache
	find laera -name __pycache__ -type d -prune -exec rm -rf {} +
	find laera -path '*/locale/*' -name '*.mo' -delete

$(BIN)/python:
	@for py in python3.11 python3; do \
	  command -v $$py >/dev/null 2>&1 || continue; \
	  if ! $$py -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	    echo "$$py is $$($$py -V 2>&1); Læra needs Python 3.11 or newer." >&2; continue; \
	  fi; \
	  echo "Creating $(VENV) with $$($$py -V 2>&1)"; \
	  $$py -m venv $(VENV) && exit 0; \
	  rm -rf $(VENV); \
	done; \
	echo "Could not create $(VENV): Læra needs Python 3.11 or newer with the venv module (python3.11-venv)." >&2; \
	exit 1

$(INSTALLED): | $(BIN)/python
	@$(CHECK_PYTHON)
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-[0-9]*; touch $@

$(INSTALLED_DEV): | $(BIN)/python
	@$(CHECK_PYTHON)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-dev-*; touch $@
