# The two commands of the README: `make run` (whole platform + demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_DEBS := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils fonts-dejavu-core

.PHONY: run test lint pytest system-deps-run system-deps-test venv assets messages clean

run: system-deps-run venv assets messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Alma Heritage is starting on http://127.0.0.1:8000/  (admin: /admin/)"
	@echo "  Card payments go to a local Stripe server on 127.0.0.1:8420: test card 4242 4242 4242 4242, any future date, any CVC"
	@echo ""
	$(VENV)/bin/honcho start -f Procfile.dev

test: system-deps-test venv assets messages lint pytest

lint:
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=almaheritage.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n 2 --create-db $(PYTEST_ARGS); \
	  code=$$?; if [ $$code -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$code

system-deps-run:
	bin/system-deps $(RUN_DEBS)
	@# npm may come with a nodejs that is not Debian's (NodeSource bundles it): check the command.
	command -v npm >/dev/null || bin/system-deps nodejs npm

system-deps-test: system-deps-run
	bin/system-deps $(TEST_DEBS)

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages:
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

clean:
	rm -rf $(VENV) node_modules var staticfiles
