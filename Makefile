# Everyday commands. `make run` and `make test` are the two that matter; both start
# with `make setup`, which is quick when nothing changed.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CRI    := $(VENV)/bin/cri

.PHONY: setup postgres-server chromium poppler run test test-unit bench lint down status clean

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

setup: $(VENV)/.installed postgres-server chromium poppler
	@$(CRI) infra fetch

# The browser tests drive Debian's Chromium (Playwright's own download does not work here).
chromium:
	@if ! command -v chromium >/dev/null; then \
	  echo "installing Debian's chromium package"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; fi

# The certificate tests render PDFs to pictures and text (pdftoppm, pdftotext).
poppler:
	@if ! command -v pdftoppm >/dev/null; then \
	  echo "installing Debian's poppler-utils package"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q poppler-utils; fi

# FerretDB's backend: Debian's PostgreSQL server, installed where it is missing.
postgres-server:
	@if ! { command -v pg_config >/dev/null && [ -x "$$(pg_config --bindir)/pg_ctl" ]; } \
	    && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  echo "installing Debian's postgresql package"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q postgresql; fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: setup   ## the local multi-centre stack with demo data; Ctrl-C stops everything
	$(CRI) up

test: setup  ## the whole suite, one session, on the real Kafka and FerretDB/PostgreSQL
	$(PY) -m pytest -ra --durations=15

test-unit: setup
	$(PY) -m pytest -q tests/unit

bench: setup ## benchmarks, each against a baseline measured in the same run
	$(PY) bench/bench_foundation.py
	$(PY) bench/bench_intake.py
	$(PY) bench/bench_pathway.py
	$(PY) bench/bench_partners.py
	$(PY) bench/bench_portal.py

down:
	$(CRI) down

status:
	$(CRI) status

clean: down
	$(PY) -c "from shared.paths import var_dir; from shared.infra.postgres import reachable; import shutil; p = reachable(var_dir() / 'postgres'); shutil.rmtree(p, ignore_errors=True) if 'var/tmp' in str(p) else None"
	rm -rf var
