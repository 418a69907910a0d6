"""The monthly donation report for staff, as a table for the project's CSV and PDF writers
(exports/writers.py): one row per foundation, from the ledger (selectors.month_report)."""
from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import from_cents
from exports.registry import Column, Table

from .selectors import FoundationTotal, month_report

COLUMNS = (Column(gettext_lazy("Fondation"), width=40),
           Column(gettext_lazy("Réservations"), type="int", total=True),
           Column(gettext_lazy("Montant"), type="money", total=True))


def foundation_name(row: FoundationTotal) -> str:
    return row.foundation.name if row.foundation else _("Non réparti (aucune fondation active)")


def month_table(month: date) -> Table:
    rows = month_report(month)
    title = _("Dons aux fondations, %(month)s") % {"month": formats.date_format(month, "YEAR_MONTH_FORMAT")}
    return Table(title=title, owner_name="Alma Heritage", columns=COLUMNS,
                 rows=iter([[foundation_name(row), row.bookings, from_cents(row.cents)] for row in rows]),
                 row_count=len(rows), count_label=_("%(count)d fondation(s)") % {"count": len(rows)})
