import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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


def test_every_english_catalogue_is_complete():
    """French is the source language; every string must have its English translation."""
    result = subprocess.run([sys.executable, "bin/po-todo"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, "untranslated strings (run bin/makemessages, then translate):\n" + result.stdout
