# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
PYTEST_ARGS ?=

.PHONY: run test bench setup install browser lint clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
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
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
