import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_with_production_settings_reports_nothing():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "almaheritage.settings.production",
           "SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-only-0123456789",
           "ALLOWED_HOSTS": "almaheritage.example", "SITE_URL": "https://almaheritage.example"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "almaheritage.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_english_catalogue_is_complete():
    """French is the source language; every string must have its English translation."""
    result = subprocess.run([sys.executable, "bin/po-todo"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, "untranslated strings (run bin/makemessages, then translate):\n" + result.stdout
