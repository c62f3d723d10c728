# Two commands on a fresh clone: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
PYTEST_WORKERS ?= 4

.PHONY: run test lint unit bench system-deps clean help

help:
	@echo "make run    start the broker and the four services on their embedded defaults"
	@echo "make test   install what is needed and run the whole suite"
	@echo "make bench  run the benchmarks in bench/ and print their figures"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python 3.11 --quiet --compile-bytecode
	@touch $(STAMP)

# Installs the Debian packages named after it (through sudo unless root), for `run` and `system-deps` alike.
APT_INSTALL = SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends

# The system itself needs one Debian package: poppler's pdftotext, to read PDF plans (ADR 0076). Without it
# a PDF upload is refused with a 503 naming the package, so a failed install does not stop `make run`.
run: $(STAMP)
	@command -v pdftotext >/dev/null || { \
	  echo "installing Debian package: poppler-utils (reads PDF plans)"; \
	  { $(APT_INSTALL) poppler-utils >/dev/null; } \
	    || echo "could not install poppler-utils: PDF plans will be refused until it is installed"; }
	$(VENV)/bin/dondoc up

# Debian packages the tests drive for real: Chromium (dashboard), promtool and Prometheus (ops),
# LibreOffice Writer with Liberation fonts (Times New Roman's metrics) to lay out the report's pages;
# poppler's pdftotext, which intake's parser reads PDF plans with (ADR 0076).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v promtool >/dev/null || missing="$$missing prometheus"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing="$$missing libreoffice-calc-nogui"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -q LiberationSerif || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(APT_INSTALL) $$missing >/dev/null; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy dondoc services shared tests bench
	$(VENV)/bin/lint-imports --no-cache

test: $(STAMP) system-deps lint
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile -q -p no:cacheprovider

# The in-process tests only: every room's unit/ folder and the anatomy (docs/adr/0006-tests-mirror-the-source.md).
unit: $(STAMP)
	$(VENV)/bin/python -m pytest tests/test_anatomy.py $(wildcard tests/*/unit) -q

# Every benchmark runs even when one fails (its figures are still wanted); the failures are listed at the end.
bench: $(STAMP)
	@failed=""; started=$$(date +%s); \
	for b in bench/bench_*.py; do \
	  echo "== $$b"; t0=$$(date +%s); \
	  $(VENV)/bin/python $$b || failed="$$failed $$b"; \
	  echo "   ($$(( $$(date +%s) - t0 )) s)"; \
	done; \
	echo "== all benchmarks: $$(( $$(date +%s) - started )) s"; \
	if [ -n "$$failed" ]; then echo "failed:$$failed"; exit 1; fi

clean:
	rm -rf var test-artifacts
