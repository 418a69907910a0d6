"""What can be exported. An app describes one of its lists once — columns, the owner's
filtered queryset, one row per object — and every format (CSV, Excel, PDF), the sync
download and the worker path use that description.

To add one (payouts, invoices…): build an `ExportKind` and `register()` it from your app's
`AppConfig.ready()`."""
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    header: Promise | str
    # How writers format the cells: "text", "int", "money" (Decimal, EUR) or "date".
    type: str = "text"
    # Summed in the totals row of the PDF.
    total: bool = False
    # Spreadsheet column width in characters (None: by type).
    width: int | None = None


@dataclass(frozen=True)
class ExportKind:
    name: str  # in URLs and on ExportJob.kind
    tab: str  # the dashboard tab the export belongs to (for the job page's menu)
    back_url: str  # URL name of the list the export comes from
    columns: tuple[Column, ...]
    # The params a list page passes (from its query string), cleaned; JSON-serialisable.
    parse_params: Callable[[QueryDict, date], dict]
    queryset: Callable[[Any, dict], QuerySet]  # (owner, params) -> the rows' objects
    row: Callable[[Any, dict], list]  # (object, params) -> one value per column
    title: Callable[[dict], str]  # (params) -> "Réservations à venir"
    filename: Callable[[dict], str]  # (params) -> "reservations-a-venir-2026-11-26" (no extension)
    count_label: Callable[[int], str] = field(default=lambda n: str(n))  # "12 réservations"


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ExportKind | None:
    return _KINDS.get(name)


@dataclass
class Table:
    """One export's content, ready for a writer: title, owner, columns and a row generator."""

    title: str
    owner_name: str
    columns: tuple[Column, ...]
    rows: Iterator[list]
    row_count: int
    count_label: str


def build_table(*, kind: ExportKind, owner, params: dict, chunk_size: int = 500) -> Table:
    """The rows stream from the database in chunks: memory stays flat for long lists."""
    objects = kind.queryset(owner, params)
    row_count = objects.count()
    rows = (kind.row(obj, params) for obj in objects.iterator(chunk_size=chunk_size))
    return Table(title=kind.title(params), owner_name=owner.get_full_name() or owner.email,
                 columns=kind.columns, rows=rows, row_count=row_count, count_label=kind.count_label(row_count))
