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
