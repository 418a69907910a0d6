"""Each app keeps its own English catalogue, but Django merges them all into one: a French
text translated two ways in two apps shows one of them everywhere ("Nom" became "Last name"
on the domains table). So a msgid has one English text across catalogues; a word with two
meanings takes a context (pgettext)."""
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def test_a_french_text_has_one_english_text_in_every_catalogue():
    translations: dict[tuple, dict[str, str]] = defaultdict(dict)
    for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and entry.translated():
                text = entry.msgstr or " | ".join(v for _k, v in sorted(entry.msgstr_plural.items()))
                translations[(entry.msgctxt, entry.msgid)][str(path.relative_to(ROOT))] = text
    conflicts = {key: found for key, found in translations.items() if len(set(found.values())) > 1}
    assert not conflicts, conflicts


def test_no_translation_call_hides_inside_an_f_string():
    """makemessages (xgettext) does not read inside f-strings: a gettext call there is never
    extracted, so its text stays French on English pages (the map's overseas caption did)."""
    import ast

    hidden = []
    for path in ROOT.glob("**/*.py"):
        if {".venv", "node_modules", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) in {
                            "_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy", "ngettext_lazy"}:
                        hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not hidden, hidden
