import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from almaheritage.settings.guards import is_loopback_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {"DJANGO_SETTINGS_MODULE": "almaheritage.settings.production", "SECRET_KEY": "y" * 60,
                  "STRIPE_SECRET_KEY": "sk_live_dummy", "STRIPE_PUBLISHABLE_KEY": "pk_live_dummy",
                  "STRIPE_WEBHOOK_SECRET": "whsec_dummy"}


def production_check(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**os.environ, **PRODUCTION_ENV, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_with_production_settings_reports_nothing():
    # A real deployment environment: without the tests' async-unsafe switch.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**env, "DJANGO_SETTINGS_MODULE": "almaheritage.settings.production",
           "SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-only-0123456789",
           "ALLOWED_HOSTS": "almaheritage.example", "SITE_URL": "https://almaheritage.example",
           "STRIPE_SECRET_KEY": "sk_live_dummy", "STRIPE_PUBLISHABLE_KEY": "pk_live_dummy",
           "STRIPE_WEBHOOK_SECRET": "whsec_dummy"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "almaheritage.settings.production",
           "SECRET_KEY": "y" * 60, "STRIPE_SECRET_KEY": "sk_live_dummy", "STRIPE_PUBLISHABLE_KEY": "pk_live_dummy",
           "STRIPE_WEBHOOK_SECRET": "whsec_dummy"}
    del env[missing]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1:8420", "http://127.8.9.10/v1", "http://localhost:8420",
                                 "https://LOCALHOST./", "http://stripe.localhost", "http://[::1]:8420",
                                 "http://[::ffff:127.0.0.1]", "http://127.1:8420", "http://2130706433/",
                                 "http://0.0.0.0:8420"])
def test_loopback_urls_are_recognised(url):
    assert is_loopback_url(url)


@pytest.mark.parametrize("url", ["https://api.stripe.com", "https://stripe.example.com:8443",
                                 "http://128.0.0.1", "http://[2001:db8::1]", "http://localhost.example.com"])
def test_other_hosts_are_not_loopback(url):
    assert not is_loopback_url(url)


def test_production_refuses_a_loopback_stripe_api_base():
    # The local Stripe server of `make run`: in production, payments would never reach Stripe.
    result = production_check(STRIPE_API_BASE="http://127.0.0.1:8420")
    assert result.returncode != 0
    assert "ImproperlyConfigured: STRIPE_API_BASE is http://127.0.0.1:8420, a loopback address" in result.stderr


@pytest.mark.parametrize("setting", [{"CALSYNC_ALLOWED_LOCAL_URL_PREFIXES": "http://127.0.0.1:8421/demo-feeds/"},
                                     {"CALSYNC_ALLOW_LOOPBACK": "1"}])
def test_production_refuses_the_calendar_fetchers_loopback_exceptions(setting):
    result = production_check(**setting)
    assert result.returncode != 0
    assert "ImproperlyConfigured: CALSYNC_ALLOW_LOOPBACK and CALSYNC_ALLOWED_LOCAL_URL_PREFIXES" in result.stderr


def test_production_with_stripe_itself_passes_the_check():
    result = production_check(STRIPE_API_BASE="https://api.stripe.com")
    assert result.returncode == 0, result.stderr


def test_dev_settings_follow_make_runs_ports():
    # `make run` passes STRIPE_PORT and DEMO_FEEDS_PORT (and SITE_URL from PORT): the Stripe
    # SDK, Stripe.js, the demo feeds and the fetcher's one loopback exception follow them.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "CALSYNC_", "SITE_URL"))}
    env = {**env, "DJANGO_SETTINGS_MODULE": "almaheritage.settings.dev", "STRIPE_PORT": "9420",
           "DEMO_FEEDS_PORT": "9421"}
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
            "[s.STRIPE_API_BASE, s.STRIPE_JS_URL, s.CALSYNC_DEMO_FEEDS_URL, s.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["http://127.0.0.1:9420", "http://127.0.0.1:9420/js.stripe.com/v3/",
                                         "http://127.0.0.1:9421/demo-feeds", ["http://127.0.0.1:9421/demo-feeds/"]]


def test_every_english_catalogue_is_complete():
    """French is the source language; every string must have its English translation."""
    result = subprocess.run([sys.executable, "bin/po-todo"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, "untranslated strings (run bin/makemessages, then translate):\n" + result.stdout
