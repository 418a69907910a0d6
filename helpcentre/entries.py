"""The help entries: the owner and traveller FAQ answers, as they are true for the platform
today, with links to the screens they describe.

The texts live in content/<guide>.<language>.txt (French is the source, English the
translation, same anchors in both): long answers read and review better as text than as
gettext strings, and translators edit one file. Format, in docs/help.md:

    ## Section {#anchor}
    ### Question {#anchor}
    A paragraph.

    Another paragraph.
    → Link label | url_name | arg1, arg2 | query=string

Parsed once per (guide, language) and kept; the files ship with the code."""
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.urls import reverse
from django.utils.translation import get_language

CONTENT_DIR = Path(__file__).resolve().parent / "content"
GUIDES = ("owner", "traveller")
LANGUAGES = ("fr", "en")
LINK_MARK = "→"
NBSP = "\u00a0"
FRENCH_SPACED = re.compile(r"(?<=\S) ([?!:;»])|(«) (?=\S)")


def french_spaces(text: str) -> str:
    """French typography: no line break inside « … » nor before ? ! : ; (core.money does
    the same before €)."""
    return FRENCH_SPACED.sub(lambda m: NBSP + m.group(1) if m.group(1) else m.group(2) + NBSP, text)


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    args: tuple[str, ...] = ()
    query: str = ""

    def url(self) -> str:
        url = reverse(self.url_name, args=self.args)
        # The content writes queries as read (« objet=Nouveau propriétaire »): encoded here.
        return f"{url}?{urlencode(parse_qsl(self.query))}" if self.query else url


@dataclass
class Entry:
    slug: str
    section: str  # the section's slug
    question: str
    paragraphs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass
class Section:
    slug: str
    title: str
    entries: list[Entry] = field(default_factory=list)


class ContentError(ValueError):
    """A content file breaks the format (raised at first use, and by the tests)."""


def _heading(line: str, marks: str, path: Path, number: int) -> tuple[str, str]:
    text = line[len(marks):].strip()
    if not text.endswith("}") or "{#" not in text:
        raise ContentError(f"{path.name}:{number}: heading without {{#anchor}}: {line!r}")
    title, _sep, anchor = text[:-1].rpartition("{#")
    return anchor.strip(), " ".join(title.split())


def _link(line: str, path: Path, number: int) -> Link:
    parts = [part.strip() for part in line[len(LINK_MARK):].split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1] or len(parts) > 4:
        raise ContentError(f"{path.name}:{number}: a link is « → label | url_name [| args [| query]] »")
    args = tuple(arg.strip() for arg in parts[2].split(",") if arg.strip()) if len(parts) > 2 else ()
    return Link(label=parts[0], url_name=parts[1], args=args, query=parts[3] if len(parts) > 3 else "")


def parse(path: Path) -> list[Section]:
    sections = _parse(path)
    if path.name.endswith(".fr.txt"):
        for section in sections:
            section.title = french_spaces(section.title)
            for entry in section.entries:
                entry.question = french_spaces(entry.question)
                entry.paragraphs = [french_spaces(p) for p in entry.paragraphs]
                entry.links = [Link(french_spaces(ln.label), ln.url_name, ln.args, ln.query) for ln in entry.links]
    return sections


def _parse(path: Path) -> list[Section]:
    sections: list[Section] = []
    paragraph: list[str] = []
    entry: Entry | None = None

    def end_paragraph() -> None:
        if paragraph and entry is not None:
            entry.paragraphs.append(" ".join(paragraph))
        paragraph.clear()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("# ") or line == "#":
            continue  # a comment for whoever edits the file
        if line.startswith("### "):
            end_paragraph()
            if not sections:
                raise ContentError(f"{path.name}:{number}: a question before any section")
            slug, question = _heading(line, "###", path, number)
            entry = Entry(slug=slug, section=sections[-1].slug, question=question)
            sections[-1].entries.append(entry)
        elif line.startswith("## "):
            end_paragraph()
            slug, title = _heading(line, "##", path, number)
            sections.append(Section(slug=slug, title=title))
            entry = None
        elif line.startswith(LINK_MARK):
            end_paragraph()
            if entry is None:
                raise ContentError(f"{path.name}:{number}: a link outside a question")
            entry.links.append(_link(line, path, number))
        elif not line:
            end_paragraph()
        else:
            if entry is None:
                raise ContentError(f"{path.name}:{number}: text outside a question")
            paragraph.append(line)
    end_paragraph()
    slugs = [e.slug for s in sections for e in s.entries] + [s.slug for s in sections]
    if len(slugs) != len(set(slugs)):
        raise ContentError(f"{path.name}: an anchor is used twice")
    return sections


def language_code(language: str | None) -> str:
    code = (language or "fr").split("-")[0]
    return code if code in LANGUAGES else "fr"


@cache
def sections(guide: str, language: str) -> list[Section]:
    if guide not in GUIDES:
        raise ValueError(guide)
    return parse(CONTENT_DIR / f"{guide}.{language_code(language)}.txt")


def current_sections(guide: str) -> list[Section]:
    return sections(guide, language_code(get_language()))


def find(guide: str, slug: str) -> Entry | None:
    for section in current_sections(guide):
        for entry in section.entries:
            if entry.slug == slug:
                return entry
    return None
