"""Loose text matching that works the same on PostgreSQL and SQLite: names and communes are
kept beside a `*_key` column holding `search_key(text)`, written on save, and a searched
text is matched against it after the same treatment ("Montoire" finds Montoire-sur-le-Loir,
"chateau" finds Château). No database extension (unaccent) is needed."""
import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lower case, no accents, words separated by one space (hyphens and apostrophes too):
    "Château de l'Isle-Adam" → "chateau de l isle adam"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_WORD.sub(" ", bare).strip()


def write_keys(instance, keys: dict[str, str], save_kwargs: dict) -> None:
    """In a model's save(): `keys` maps each key column to the field it is the key of.
    A save limited to some fields (update_fields) writes the keys of those it names."""
    update_fields = save_kwargs.get("update_fields")
    for key, source in keys.items():
        setattr(instance, key, search_key(getattr(instance, source))[:instance._meta.get_field(key).max_length])
    if update_fields is not None:
        save_kwargs["update_fields"] = {*update_fields, *(k for k, s in keys.items() if s in update_fields)}
