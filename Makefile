# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
PYTEST_ARGS ?=
UPGRADE ?=

.PHONY: run serve-team test bench setup install catalogs messages browser lint lock upgrade clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# The translations: .po files are committed, the .mo files gettext reads are built from them.
LOCALE := kam/locale
PYBABEL := $(VENV)/bin/pybabel
CATALOGS := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/kam.po))
# Message ids: the first argument of t, Msg, term, N_, tables.Col and widgets.empty, the second
# of Checker.add (a problem), and tn's first two.
KEYWORDS := -k t -k tn:1,2 -k Msg -k term -k N_ -k Col -k empty -k add:2

$(LOCALE)/%/LC_MESSAGES/kam.mo: $(LOCALE)/%/LC_MESSAGES/kam.po | $(STAMP)
	$(PYBABEL) compile --statistics -D kam -i $< -o $@

catalogs: $(CATALOGS)

# After changing UI text: extract every message id, merge it into each language's .po (then
# translate the new entries; tests/test_i18n.py fails until every one has a Russian text).
messages: install
	$(PYBABEL) extract --no-default-keywords $(KEYWORDS) -F babel.cfg --sort-by-file \
	  --add-comments=TRANSLATORS: --project=kam-dashboard --no-wrap -o $(LOCALE)/kam.pot .
	@# Our placeholders are {name}: a "%" in the text ("% of plan") is no printf format.
	sed -i '/^#, python-format$$/d' $(LOCALE)/kam.pot
	$(PYBABEL) update -D kam -i $(LOCALE)/kam.pot -d $(LOCALE) --no-wrap --ignore-obsolete

# Migrate the configured database and load the demo company when it is empty.
setup: install catalogs
	$(PY) -m kam migrate
	$(PY) -m kam demo --if-empty

run: setup
	$(PY) -m streamlit run app.py --server.port $(PORT)

# A team deployment on loopback for a trial: 3 processes behind nginx (docs/DEPLOY.md).
serve-team: setup browser
	$(PY) -m kam serve-team --processes 3 --port 8080

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here); the team
# deployment test runs Debian's nginx. A package's install must not start its service (nginx
# would take port 80): a policy-rc.d that refuses is put in place for the install if none is.
SYSTEM_OK := test -x /usr/bin/chromium && command -v pdftoppm >/dev/null && \
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && \
	{ command -v nginx >/dev/null || test -x /usr/sbin/nginx; }
browser:
	@if ! { $(SYSTEM_OK); }; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    made=; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made=1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core nginx-light >/dev/null; \
	    status=$$?; [ -n "$$made" ] && rm -f /usr/sbin/policy-rc.d; exit $$status; \
	  else \
	    echo "Missing system packages: run 'sudo apt-get install chromium poppler-utils fonts-dejavu-core nginx-light'" >&2; exit 1; \
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
