"""The three formats. Each consumes a `Table` whose rows are a generator, so the same code
serves a download in the request and a file written by the worker; `progress` (0–100)
lets the worker show how far it is."""
import csv
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import IO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone

from core.money import format_eur

from .registry import Column, Table

Progress = Callable[[int], None]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",  # a PDF longer than EXPORT_PDF_ROWS_PER_FILE rows, in parts
}


def _no_progress(percent: int) -> None:
    pass


def tracked(rows: Iterable[list], *, total: int, progress: Progress, start: int = 0, end: int = 100) -> Iterator[list]:
    """Yield the rows, reporting progress from `start` to `end` % about every 2 %."""
    reported = start
    for done, row in enumerate(rows, start=1):
        yield row
        percent = start + (end - start) * done // max(total, 1)
        if percent - reported >= 2:
            progress(min(percent, end))
            reported = percent
    progress(end)


# --- Cells as text (CSV for a French Excel, PDF) --------------------------------------------

# A cell starting with one of these is a formula to a spreadsheet: names typed by travellers
# must never run as one (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers (+33 6 12 34 56 78) start with "+" but hold no function or reference: kept as is.
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")


def csv_cell(value, column: Column) -> str:
    """Excel in French reads `;` columns, decimal commas and dd/mm/yyyy dates."""
    if value is None:
        return ""
    if column.type == "text" and str(value).startswith(FORMULA_STARTS) and not PHONE_LIKE.match(str(value)):
        return "'" + str(value)
    if column.type == "money":
        return f"{Decimal(value):.2f}".replace(".", ",")
    if column.type == "date":
        return value.strftime("%d/%m/%Y")
    return str(value)


def display_cell(value, column: Column) -> str:
    """Cells as people read them in the active language (PDF)."""
    if value is None:
        return ""
    if column.type == "money":
        return format_eur(value)
    if column.type == "date":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if column.type == "int":
        return formats.number_format(value, force_grouping=True)
    return str(value)


class _Echo:
    """csv.writer writes into this and gets the line back: nothing is buffered."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table, *, progress: Progress = _no_progress) -> Iterator[str]:
    """The CSV as text chunks: a UTF-8 byte order mark first, so Excel picks the encoding."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([str(column.header) for column in table.columns])
    for row in tracked(table.rows, total=table.row_count, progress=progress):
        yield writer.writerow([csv_cell(value, column) for value, column in zip(row, table.columns, strict=True)])


def write_csv(table: Table, target: IO[bytes], *, progress: Progress = _no_progress) -> None:
    for chunk in csv_chunks(table, progress=progress):
        target.write(chunk.encode("utf-8"))


# --- Excel ------------------------------------------------------------------------------------

XLSX_FORMATS = {"money": '#,##0.00 "€"', "date": "DD/MM/YYYY", "int": "0"}
XLSX_WIDTHS = {"money": 14, "date": 12, "int": 10, "text": 22}


def write_xlsx(table: Table, target: IO[bytes], *, progress: Progress = _no_progress) -> None:
    """openpyxl in write-only mode streams rows to the file instead of keeping cells."""
    # Imported here: openpyxl (~0.25 s) and WeasyPrint (~1 s) would slow every process that
    # loads this module for a CSV or a page.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31])
    bold = Font(bold=True)
    # Write-only sheets take their layout before the first row.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or XLSX_WIDTHS[column.type]

    def cell(value, *, number_format: str | None = None, font: Font | None = None) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # openpyxl would store "=…" as a formula
        if number_format:
            written.number_format = number_format
        if font:
            written.font = font
        return written

    sheet.append([cell(str(column.header), font=bold) for column in table.columns])
    for row in tracked(table.rows, total=table.row_count, progress=progress, end=95):
        sheet.append([cell(value, number_format=XLSX_FORMATS.get(column.type))
                      for value, column in zip(row, table.columns, strict=True)])
    workbook.save(target)
    progress(100)


# --- PDF ----------------------------------------------------------------------------------------

def _totals(rows: list[list], columns: tuple[Column, ...]) -> list:
    """The sums of the totalled columns (None for the others)."""
    sums: list = []
    for index, column in enumerate(columns):
        if not column.total:
            sums.append(None)
            continue
        zero = Decimal("0") if column.type == "money" else 0
        sums.append(sum((row[index] or zero for row in rows), zero))
    return sums


def _displayed(sums: list, columns: tuple[Column, ...]) -> list[str]:
    return ["" if value is None else display_cell(value, column) for value, column in zip(sums, columns, strict=True)]


def pdf_parts(row_count: int) -> int:
    """How many PDF files a list of `row_count` rows makes (EXPORT_PDF_ROWS_PER_FILE each)."""
    return max(1, -(-row_count // settings.EXPORT_PDF_ROWS_PER_FILE))


def output_extension(fmt: str, row_count: int) -> str:
    """A PDF longer than one file comes as a ZIP of its parts."""
    return "zip" if fmt == "pdf" and pdf_parts(row_count) > 1 else fmt


def _pdf_document(table: Table, rows: list[list], target: IO[bytes], *, part: tuple[int, int] | None = None,
                  grand_totals: list[str] | None = None) -> None:
    from weasyprint import HTML

    numeric = [column.type in ("money", "int") for column in table.columns]

    def cells(texts: list[str]) -> list[tuple[str, bool]]:
        return list(zip(texts, numeric, strict=True))

    html = render_to_string("exports/pdf.html", {
        "table": table,
        "headers": cells([str(column.header) for column in table.columns]),
        "rows": [cells([display_cell(value, column) for value, column in zip(row, table.columns, strict=True)])
                 for row in rows],
        "totals": cells(_displayed(_totals(rows, table.columns), table.columns)),
        "part": part, "grand_totals": cells(grand_totals) if grand_totals else None,
        "generated_at": timezone.localtime(),
    })
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(target)


def write_pdf(table: Table, target: IO[bytes], *, progress: Progress = _no_progress, basename: str = "export") -> None:
    """A4 landscape with the Alma Heritage header, the owner's name and a totals row.

    WeasyPrint lays out a whole document at once (~0.18 MiB and ~8 ms a row: 5,000 rows took
    989 MiB), so a long list is cut into documents of EXPORT_PDF_ROWS_PER_FILE rows, each laid
    out and written on its own into a ZIP (`basename-1.pdf`, …): the worker's memory stays
    that of one part whatever the length. Each part shows its own total; the last one also
    the whole list's."""
    if pdf_parts(table.row_count) == 1:
        rows = list(tracked(table.rows, total=table.row_count, progress=progress, end=40))
        progress(50)
        _pdf_document(table, rows, target)
        progress(100)
        return
    import zipfile

    per_file, expected = settings.EXPORT_PDF_ROWS_PER_FILE, pdf_parts(table.row_count)
    rows_iter = tracked(table.rows, total=table.row_count, progress=progress, end=99)
    grand: list | None = None
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        number = 0
        chunk = list(islice(rows_iter, per_file))
        while chunk:
            number += 1
            following = list(islice(rows_iter, per_file))
            sums = _totals(chunk, table.columns)
            grand = sums if grand is None else [None if a is None else a + b for a, b in zip(grand, sums, strict=True)]
            with archive.open(f"{basename}-{number}.pdf", "w") as member:
                _pdf_document(table, chunk, member, part=(number, max(expected, number + (1 if following else 0))),
                              grand_totals=None if following else _displayed(grand, table.columns))
            chunk = following
    progress(100)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
