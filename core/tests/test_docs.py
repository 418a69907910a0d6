"""The repository documents itself (docs/README.md): comments cite files inside it, and every
link of the README and of docs/ leads somewhere. A reader of a plain clone has nothing else."""
from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".git", ".venv", "node_modules", "var", "media", "staticfiles", "__pycache__"}
# Files whose "#" lines are comments (shell, make, configuration).
HASH_COMMENTED = {"Makefile", "Procfile.dev", "pytest.ini", "pyproject.toml", ".importlinter"}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.S)

# Notes and data kept beside the team's checkout, which a user of the repository does not have:
# neither comments nor documents name them (the calendar corpus is found where ICS_CORPUS says,
# docs/calendar-sync.md#tests-fixtures-and-the-corpus).
OUTSIDE = re.compile(r"(?<![\w-])shared/[\w.-]+|/work/"
                     r"|\b[A-Z_]*DESIGN\b|\b(?:PERFORMANCE|TESTING|STYLE)\.md\b")
DOC_REFERENCE = re.compile(r"\bdocs/([\w./-]*\w\.md)(?:#([\w-]+))?")
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")


# --- Where comments are -------------------------------------------------------------------

def repository_files() -> Iterator[Path]:
    stack = [ROOT]
    while stack:
        folder = stack.pop()
        for path in sorted(folder.iterdir()):
            if path.is_symlink():
                continue
            if path.is_dir():
                if path.name not in SKIPPED_DIRS and (not path.name.startswith(".") or path.name == ".ci"):
                    stack.append(path)
            elif path.is_file():
                yield path


def python_comments(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment and docstring: what a reader takes as explanation,
    not code (a test may legitimately read a path in code)."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                yield first.lineno, first.value.value


def other_comments(path: Path, text: str) -> Iterator[tuple[int, str]]:
    if path.suffix in (".html", ".txt", ".xml"):
        for match in TEMPLATE_COMMENT.finditer(text):
            yield text.count("\n", 0, match.start()) + 1, match.group(0)
    elif path.name in HASH_COMMENTED or path.suffix in (".sh", ".ini", ".toml", ".cfg") or path.parent.name in (
            "bin", ".ci") or text.startswith("#!"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                yield number, line


def comments_of(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return
    if path.suffix == ".py":
        yield from python_comments(text)
    elif path.suffix not in (".md", ".po", ".mo", ".json", ".ics", ".css", ".js", ".svg", ".lock"):
        yield from other_comments(path, text)


@functools.cache  # two tests read them
def all_comments() -> list[tuple[Path, int, str]]:
    return [(path, line, text) for path in repository_files() for line, text in comments_of(path)]


# --- Markdown -------------------------------------------------------------------------------

def heading_slugs(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces to
    hyphens, "-1", "-2"… for repeated titles."""
    slugs: set[str] = set()
    for line in FENCE.sub("", markdown).splitlines():
        match = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        title = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1)).strip().lower()
        base = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
        slug, n = base, 1
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
    return slugs


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def link_problem(source: Path, target: str) -> str | None:
    """Why a relative link of `source` leads nowhere, or None."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:…
        return None
    path_part, _, anchor = target.partition("#")
    destination = (source.parent / path_part).resolve() if path_part else source
    if not destination.exists():
        return f"{target}: {destination.relative_to(ROOT) if destination.is_relative_to(ROOT) else destination} " \
               "does not exist"
    if not destination.is_relative_to(ROOT):
        return f"{target}: outside the repository"
    if anchor and destination.suffix == ".md" and anchor not in heading_slugs(destination.read_text()):
        return f"{target}: no heading #{anchor} in {destination.relative_to(ROOT)}"
    return None


def reference_problem(name: str, anchor: str | None) -> str | None:
    target = ROOT / "docs" / name
    if not target.is_file():
        return f"docs/{name} does not exist"
    if anchor and anchor not in heading_slugs(target.read_text()):
        return f"docs/{name} has no heading #{anchor}"
    return None


# --- The checks --------------------------------------------------------------------------------

def test_comments_never_cite_notes_outside_the_repository():
    found = [f"{path.relative_to(ROOT)}:{line}: {OUTSIDE.search(text).group(0)!r}"
             for path, line, text in all_comments() if OUTSIDE.search(text)]
    assert not found, "comments citing files a clone does not have (cite docs/… instead):\n" + "\n".join(found)


@pytest.mark.parametrize("markdown", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_never_name_what_is_outside_the_repository(markdown):
    found = [f"{markdown.relative_to(ROOT)}:{number}: {OUTSIDE.search(line).group(0)!r}"
             for number, line in enumerate(markdown.read_text().splitlines(), start=1) if OUTSIDE.search(line)]
    assert not found, "documents naming files a clone does not have:\n" + "\n".join(found)


def test_every_docs_file_a_comment_cites_exists():
    found = []
    for path, line, text in all_comments():
        for match in DOC_REFERENCE.finditer(text):
            if problem := reference_problem(match.group(1), match.group(2)):
                found.append(f"{path.relative_to(ROOT)}:{line}: {problem}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("markdown", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_of_the_documentation_lead_somewhere(markdown):
    text = INLINE_CODE.sub("", FENCE.sub("", markdown.read_text()))
    broken = [problem for target in MARKDOWN_LINK.findall(text) if (problem := link_problem(markdown, target))]
    assert not broken, f"broken links in {markdown.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_the_index_lists_every_document():
    index = (ROOT / "docs" / "README.md").read_text()
    missing = [doc.name for doc in sorted((ROOT / "docs").glob("*.md"))
               if doc.name != "README.md" and f"]({doc.name})" not in index]
    assert not missing, f"docs/README.md does not list {missing}"


# --- The checks check ----------------------------------------------------------------------------

def test_a_comment_citing_the_team_notes_is_caught():
    source = ('"""Rules (DESIGN.md rule 5)."""\nX = "../shared/tools/x.py"  # see ../shared/tools/x.py\n'
              '# the corpus at ../shared/ics, when there\n# its rules: ../shared/ics/README.md\n'
              '# measured (PERFORMANCE.md)\n# a fork has no ../shared\n')
    cited = [text for _line, text in python_comments(source) if OUTSIDE.search(text)]
    assert sorted(cited) == ["# its rules: ../shared/ics/README.md", "# measured (PERFORMANCE.md)",
                             "# see ../shared/tools/x.py", "# the corpus at ../shared/ics, when there",
                             "Rules (DESIGN.md rule 5)."]  # not the code itself


def test_a_missing_document_or_heading_is_caught():
    assert reference_problem("product.md", "availability") is None
    assert reference_problem("product.md", "no-such-heading") == "docs/product.md has no heading #no-such-heading"
    assert reference_problem("nothing-here.md", None) == "docs/nothing-here.md does not exist"


def test_headings_become_github_anchors():
    assert heading_slugs("# Calendar sync\n## The re-check before a commitment\n## Tests, fixtures and the corpus\n"
                         "```\n# not a heading\n```\n## Calendar sync\n") == {
        "calendar-sync", "the-re-check-before-a-commitment", "tests-fixtures-and-the-corpus", "calendar-sync-1"}


def test_a_broken_relative_link_is_caught():
    readme = ROOT / "README.md"
    assert link_problem(readme, "docs/product.md#availability") is None
    assert link_problem(readme, "https://example.org/missing") is None
    assert "does not exist" in link_problem(readme, "docs/missing.md")
    assert "outside the repository" in link_problem(readme, "..")
