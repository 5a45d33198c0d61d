# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
PYTEST_ARGS ?=
UPGRADE ?=

.PHONY: run test bench setup install browser lint lock upgrade clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Migrate the configured database and load the demo company when it is empty.
setup: install
	$(PY) -m kam migrate
	$(PY) -m kam demo --if-empty

run: setup
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Browser tests drive Debian's Chromium; Playwright cannot download browsers here.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium poppler-utils fonts-dejavu-core'" >&2; exit 1; \
	  fi; \
	fi

test: setup browser
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

# The lock: pyproject.toml's ranges compiled into pinned, hashed requirements*.txt for the
# machines this runs on (CPython 3.11, Linux). The dev set is held to the runtime pins.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform linux --custom-compile-command "make lock"

lock: install
	$(LOCK) $(UPGRADE) -o requirements.txt
	$(LOCK) $(UPGRADE) --group dev -c requirements.txt -o requirements-dev.txt

# The newest releases the ranges allow; then run the whole suite (see README).
upgrade:
	$(MAKE) lock UPGRADE=--upgrade

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
