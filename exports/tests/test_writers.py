"""The three writers, fed a `Table` directly: what a French Excel, openpyxl and a printed page
read, formula-looking names kept as text, and progress reported up to 100 %."""
import csv
import io
import subprocess
from datetime import date
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from exports.registry import Column, Table
from exports.writers import csv_cell, display_cell, tracked, write_csv, write_pdf, write_xlsx

COLUMNS = (Column("Nom"), Column("Arrivée", "date"), Column("Personnes", "int", total=True),
           Column("Montant", "money", total=True))
ROWS = [["Lucie Bernard", date(2027, 5, 10), 2, Decimal("1240.50")],
        ['=HYPERLINK("http://evil.example")', date(2027, 6, 1), 1234, Decimal("90.00")]]


def table() -> Table:
    return Table(title="Réservations", owner_name="Hélène Duval", columns=COLUMNS, rows=iter([*ROWS]),
                 row_count=len(ROWS), count_label="2 réservations")


def test_csv_is_what_a_french_excel_reads():
    target = io.BytesIO()
    write_csv(table(), target)
    raw = target.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel picks UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Nom", "Arrivée", "Personnes", "Montant"],
                    ["Lucie Bernard", "10/05/2027", "2", "1240,50"],
                    ["'=HYPERLINK(\"http://evil.example\")", "01/06/2027", "1234", "90,00"]]


def test_a_formula_in_text_is_neutralised_but_a_phone_number_is_not():
    text = Column("Nom")
    for formula in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"):
        assert csv_cell(formula, text) == "'" + formula
    assert csv_cell("+33 6 12 34 56 78", text) == "+33 6 12 34 56 78"
    assert csv_cell(None, text) == "" and csv_cell("-5", Column("Montant", "money")) == "-5,00"


def test_xlsx_keeps_numbers_dates_and_formula_looking_text_typed():
    target = io.BytesIO()
    write_xlsx(table(), target)
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    header, first, second = list(sheet.iter_rows())
    assert [cell.value for cell in header] == ["Nom", "Arrivée", "Personnes", "Montant"]
    assert first[1].value.date() == date(2027, 5, 10) and first[1].number_format == "DD/MM/YYYY"
    assert first[3].value == 1240.5 and first[3].number_format == '#,##0.00 "€"'
    assert second[0].data_type == "s" and second[0].value.startswith("=HYPERLINK")
    assert sheet.freeze_panes == "A2" and sheet.title == "Réservations"


def test_pdf_is_a4_landscape_with_header_cells_and_totals():
    target = io.BytesIO()
    with translation.override("fr"):
        write_pdf(table(), target)
    content = target.getvalue()
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    assert "841.89 x 595.2" in size  # A4, wider than tall
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    assert "Alma Heritage" in text and "Hélène Duval" in text and "Réservations" in text
    # pdftotext writes the non-breaking spaces of the cells as plain ones.
    assert "10/05/2027" in text and "1 240,50 €" in text
    totals = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert "1 236" in totals and "1 330,50 €" in totals  # 2 + 1234 persons, 1240,50 + 90 €


def test_cells_for_people_follow_the_active_language():
    money, count = Column("Montant", "money"), Column("Personnes", "int")
    with translation.override("en"):
        assert display_cell(Decimal("1240.5"), money) == "1,240.50\u00a0€"
        assert display_cell(1234, count) == "1,234"
    with translation.override("fr"):
        assert display_cell(date(2027, 5, 10), Column("Arrivée", "date")) == "10/05/2027"
    assert display_cell(None, money) == ""


def test_progress_is_reported_in_steps_up_to_the_end():
    seen: list[int] = []
    rows = list(tracked(iter(range(100)), total=100, progress=seen.append, start=0, end=40))
    assert rows == list(range(100))
    assert seen == sorted(seen) and seen[-1] == 40 and len(seen) <= 25
