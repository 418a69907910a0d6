"""The `corpus` marker (calsync/tests/corpus.py): a plain clone skips, CI with the corpus
never does. Each case runs a small pytest session in a subprocess."""
import json

import pytest

from .corpus import REPOSITORY

CASES = """
import pytest

@pytest.mark.corpus
def test_reads_the_corpus():
    pass

@pytest.mark.corpus
def test_skips_although_the_corpus_is_there():
    pytest.skip("a corpus file went missing")

def test_without_the_corpus():
    pass
"""


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPOSITORY))
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(test_cases=CASES)

    def run(*, corpus: bool, ci: bool, named: bool = True):
        folder = pytester.mkdir("corpus")
        if corpus:
            (folder / "expected.json").write_text(json.dumps({}))
        if named:
            monkeypatch.setenv("ICS_CORPUS", str(folder))
        else:
            monkeypatch.delenv("ICS_CORPUS", raising=False)
        if ci:
            monkeypatch.setenv("CI", "true")
        return pytester.runpytest_subprocess("-p", "calsync.tests.corpus", "-p", "no:django", "-p", "no:cacheprovider",
                                             "-rs")

    return run


def test_without_the_corpus_its_tests_skip_with_the_reason(run):
    result = run(corpus=False, ci=False)
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*calendar corpus not found at *corpus (no expected.json*"])


def test_a_plain_clone_names_no_corpus_and_its_tests_skip_with_the_reason(run):
    """Nothing outside the repository is looked for: no ICS_CORPUS, no corpus."""
    result = run(corpus=True, ci=True, named=False)  # a corpus folder exists, but nothing names it
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*calendar corpus not configured (ICS_CORPUS names*"])


def test_ci_without_the_corpus_still_skips(run):
    # A fork's CI has no corpus: the plain-clone rule applies.
    run(corpus=False, ci=True).assert_outcomes(passed=1, skipped=2)


def test_outside_ci_a_skip_with_the_corpus_stays_a_skip(run):
    run(corpus=True, ci=False).assert_outcomes(passed=2, skipped=1)


def test_ci_with_the_corpus_fails_on_a_skipped_corpus_test(run):
    result = run(corpus=True, ci=True)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*corpus test skipped on CI although the corpus is at *a corpus file went missing*"])
    assert result.ret != 0
