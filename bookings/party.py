"""How a party of travellers is written, in pages, emails and PDFs alike: "2 adultes, 1 enfant"
with real plurals (never "adulte(s)")."""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _adults(count: int) -> str:
    return ngettext("%(count)d adulte", "%(count)d adultes", count) % {"count": count}


def _children(count: int) -> str:
    return ngettext("%(count)d enfant", "%(count)d enfants", count) % {"count": count}


def party_label(adults: int, children: int = 0) -> str:
    """A booking's party: "2 adultes, 1 enfant"."""
    return f"{_adults(adults)}, {_children(children)}" if children else _adults(adults)


def capacity_label(adults: int, children: int) -> str:
    """A unit's maximum: "4 adultes et 2 enfants"."""
    if not children:
        return _adults(adults)
    return _("%(adults)s et %(children)s") % {"adults": _adults(adults), "children": _children(children)}
