"""The shared calendar corpus: where it is, and the pytest plugin of its ``corpus`` marker.

The corpus (48 feeds with the nights each must block, and their ``expected.json``) is the
team's, not part of the repository: a plain clone does not have it, and the tests find it
only where ``ICS_CORPUS`` names it (docs/calendar-sync.md#tests-fixtures-and-the-corpus).
Tests that read it carry ``@pytest.mark.corpus``. This plugin (loaded by the root
``conftest.py``) skips them with the reason when the corpus is absent, and turns a skipped
corpus test into a failure on CI (``CI`` set) when the corpus is present, so CI cannot
silently stop running it. The repository's own feeds, which always run, are in
``calsync/tests/fixtures/``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


def corpus_dir() -> Path | None:
    """The folder ``ICS_CORPUS`` names; None when it names none."""
    folder = os.environ.get("ICS_CORPUS", "").strip()
    return Path(folder) if folder else None


def corpus_present() -> bool:
    folder = corpus_dir()
    return folder is not None and (folder / "expected.json").is_file()


def absent_reason() -> str:
    folder = corpus_dir()
    if folder is None:
        return "calendar corpus not configured (ICS_CORPUS names the folder holding its expected.json)"
    return f"calendar corpus not found at {folder} (no expected.json; ICS_CORPUS names its folder)"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# --------------------------------------------------------------------------- plugin


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "corpus: reads the shared calendar corpus; skipped without it, a failure on CI if skipped with it")


def pytest_runtest_setup(item):
    if item.get_closest_marker("corpus") and not corpus_present():
        pytest.skip(absent_reason())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if (report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("corpus")
            and on_ci() and corpus_present()):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"corpus test skipped on CI although the corpus is at {corpus_dir()}: {reason}"
    return report
