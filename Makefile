# The two commands of the README: `make run` (whole platform + demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run`'s ports, from the environment: the site, the local Stripe server, the demo feed
# server. The settings follow them (almaheritage/settings/dev.py); honcho hands each process
# its own PORT, so the site's address travels as SITE_URL.
PORT ?= 8000
STRIPE_PORT ?= 8420
DEMO_FEEDS_PORT ?= 8421
SITE_URL ?= http://127.0.0.1:$(PORT)
export VENV PORT STRIPE_PORT DEMO_FEEDS_PORT SITE_URL
RUN_DEBS := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils fonts-dejavu-core default-jre-headless

.PHONY: backup restore bench run test lint pytest screenshots system-deps-run system-deps-test venv-dev venv-test assets messages clean

# honcho stops every process it started on Ctrl-C (SIGINT, then SIGKILL after its timeout).
run: system-deps-run venv-dev assets messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Alma Heritage is starting on $(SITE_URL)/  (admin: /admin/)"
	@echo "  Card payments go to a local Stripe server on 127.0.0.1:$(STRIPE_PORT): test card 4242 4242 4242 4242, any future date, any CVC"
	@echo "  The demo's calendar feeds are served on 127.0.0.1:$(DEMO_FEEDS_PORT)"
	@echo ""
	$(VENV)/bin/honcho start -f Procfile.dev

test: system-deps-test venv-test assets messages lint pytest

lint:
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=almaheritage.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n 2 --create-db $(PYTEST_ARGS); \
	  code=$$?; if [ $$code -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$code

# The README's screenshots, rewritten in docs/screenshots/ (an ordinary run writes var/screenshots/).
screenshots: system-deps-test venv-test assets messages
	UPDATE_SCREENSHOTS=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q public/tests/test_screenshots.py

system-deps-run:
	bin/system-deps $(RUN_DEBS)
	@# npm may come with a nodejs that is not Debian's (NodeSource bundles it): check the command.
	command -v npm >/dev/null || bin/system-deps nodejs npm

system-deps-test: system-deps-run
	bin/system-deps $(TEST_DEBS)

# requirements/base.txt is what production runs; dev.txt adds `make run`'s tools, test.txt
# the test suite's (it includes dev.txt, so its stamp covers both).
venv-dev: $(VENV)/.installed-dev
venv-test: $(VENV)/.installed-test

$(VENV)/.installed-dev: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/dev.txt requirements/test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.installed-dev

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages:
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

clean:
	rm -rf $(VENV) node_modules var staticfiles

# Benchmarks (docs/performance.md, results in bench/RESULTS.md): every page of issue 14 under
# wrk against a minimal view, exports, the concurrency check, payouts and calendar sync.
# The data is built once and kept (PostgreSQL on 127.0.0.1). BENCH_ARGS="--scale 1500 --seconds 5"…
bench: venv-test messages
	bin/system-deps wrk || echo "wrk could not be installed: the bench uses its threaded Python client"
	$(PY) bench/run.py $(BENCH_ARGS)

# Backups (docs/operations.md#backups): DATABASE_URL and MEDIA_ROOT from the environment.
backup:
	bin/backup $(BACKUP_DIR)

restore:
	@test -n "$(DUMP)" || { echo "make restore DUMP=var/backups/alma-….dump [MEDIA=…-media.tar.gz [PRIVATE=…-private.tar.gz]]"; exit 64; }
	bin/restore $(DUMP) $(MEDIA) $(PRIVATE)
