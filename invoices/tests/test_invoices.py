"""Commission invoices: what the month's invoice bills (from the ledger), the VAT split, the
numbering, immutability and credit notes."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from invoices import vat
from invoices.models import DocumentKind, ImmutableDocument, Invoice, InvoiceLine, Settlement
from invoices.monthly import issue_invoices

from .conftest import at, billing_address, month_of, paid_stay, pay_month, ready_account, refund, unit_of

pytestmark = pytest.mark.django_db

ARRIVAL = date(2026, 10, 12)  # departs 15 Oct: paid and invoiced on 1 Nov 2026
NOVEMBER = date(2026, 11, 1)


def test_an_ended_stay_is_invoiced_on_the_first_with_its_commission_split_into_ht_and_vat(owner, traveller, unit):
    booking = paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    assert month_of(booking) == NOVEMBER
    result = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7))

    invoice = result.invoices[0]
    assert invoice.owner == owner and invoice.kind == DocumentKind.INVOICE and invoice.month == NOVEMBER
    assert invoice.number == "AH-2026-000001" and invoice.issue_date == NOVEMBER
    # 400 € kept × 13 % = 52,00 € TTC = 43,33 € HT + 8,67 € VAT (HT = TTC / 1.2 rounded half-up).
    line = invoice.lines.get()
    assert (line.booking, line.base_cents, line.ttc_cents, line.ht_cents, line.vat_cents) == (
        booking, 40000, 5200, 4333, 867)
    assert (invoice.total_ttc_cents, invoice.total_ht_cents, invoice.total_vat_cents) == (5200, 4333, 867)
    assert invoice.vat_rate == Decimal("0.2000")


def test_a_stay_still_running_on_the_first_waits_for_the_next_month(owner, traveller, unit):
    running = paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 30))  # departs 2 Nov
    assert issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices == []
    december = issue_invoices(month=date(2026, 12, 1), now=at(date(2026, 12, 1), 7)).invoices
    assert [line.booking for line in december[0].lines.all()] == [running]


def test_each_line_is_split_on_its_own_and_the_totals_are_the_sums_of_the_lines():
    rate = Decimal("0.20")
    lines = [vat.split_ttc(cents, rate=rate) for cents in (1, 5, 7, 5201)]
    assert [(s.ht_cents, s.vat_cents) for s in lines] == [(1, 0), (4, 1), (6, 1), (4334, 867)]
    total = vat.total(lines)
    assert (total.ht_cents, total.vat_cents, total.ttc_cents) == (4345, 869, 5214)
    assert all(s.ht_cents + s.vat_cents == s.ttc_cents for s in lines)


def test_one_invoice_per_owner_lists_every_booking_of_the_month(owner, traveller, unit):
    first = paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 5), nights=2)  # 280 €
    second = paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 20), nights=4)  # 520 €
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    assert [(line.booking, line.ttc_cents) for line in invoice.lines.all()] == [(first, 3640), (second, 6760)]
    assert invoice.total_ttc_cents == 10400
    assert invoice.total_ht_cents == sum(line.ht_cents for line in invoice.lines.all())


def test_running_the_month_again_issues_nothing_twice(owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7))
    again = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 9))
    assert again.invoices == [] and again.credit_notes == []
    assert Invoice.objects.count() == 1 and InvoiceLine.objects.count() == 1


def test_numbers_follow_one_sequence_across_owners_and_months(owner, other_owner, traveller, unit, domain):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    other_unit = unit_of(other_owner, domain)
    paid_stay(unit=other_unit, traveller=traveller, arrival=ARRIVAL)
    issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7))
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 11, 10))
    issue_invoices(month=date(2026, 12, 1), now=at(date(2026, 12, 1), 7))
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 12, 10))
    issue_invoices(month=date(2027, 1, 1), now=at(date(2027, 1, 1), 7))
    numbers = list(Invoice.objects.order_by("sequence_number").values_list("sequence_number", "number"))
    assert numbers == [(1, "AH-2026-000001"), (2, "AH-2026-000002"), (3, "AH-2026-000003"),
                       (4, "AH-2027-000004")]


def test_a_fully_refunded_booking_leaves_nothing_to_invoice(owner, traveller, unit):
    booking = paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    refund(booking, 40000, now=at(ARRIVAL - timedelta(days=20)))
    assert issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices == []
    assert Invoice.objects.count() == 0


def test_a_refund_after_the_stay_ended_is_a_credit_note_citing_the_invoice(owner, traveller, unit):
    booking = paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    original = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    refund(booking, 10000, now=at(date(2026, 11, 10)))  # 100 € given back after the stay

    december = issue_invoices(month=date(2026, 12, 1), now=at(date(2026, 12, 1), 7))
    assert december.invoices == []
    note = december.credit_notes[0]
    assert note.kind == DocumentKind.CREDIT_NOTE and note.corrects == original
    assert note.number == "AH-2026-000002"  # the same continuous sequence
    # Kept 400 € → 300 €: commission 52,00 € → 39,00 €, so 13,00 € TTC credited.
    line = note.lines.get()
    assert (line.booking, line.base_cents, line.ttc_cents, line.ht_cents, line.vat_cents) == (
        booking, 10000, 1300, 1083, 217)
    assert issue_invoices(month=date(2026, 12, 1), now=at(date(2026, 12, 1), 9)).credit_notes == []


def test_an_issued_invoice_refuses_every_change_through_the_orm(owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    invoice.buyer_name = "Quelqu'un d'autre"
    with pytest.raises(ImmutableDocument):
        invoice.save()
    with pytest.raises(ImmutableDocument):
        invoice.delete()
    with pytest.raises(ImmutableDocument):
        Invoice.objects.filter(pk=invoice.pk).update(total_ttc_cents=1)
    with pytest.raises(ImmutableDocument):
        InvoiceLine.objects.filter(invoice=invoice).delete()
    line = invoice.lines.get()
    line.ttc_cents = 1
    with pytest.raises(ImmutableDocument):
        line.save()
    invoice.refresh_from_db()
    assert invoice.buyer_name == owner.get_full_name() and invoice.total_ttc_cents == 5200


def test_staff_read_an_invoice_in_the_admin_and_cannot_change_or_delete_it(client, staff, owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    client.force_login(staff)
    change_url = reverse("admin:invoices_invoice_change", args=[invoice.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and invoice.number in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    client.post(change_url, {"buyer_name": "Autre", "total_ttc_cents": 1})
    assert client.get(reverse("admin:invoices_invoice_delete", args=[invoice.pk])).status_code == 403
    assert client.get(reverse("admin:invoices_invoice_add")).status_code == 403
    invoice.refresh_from_db()
    assert invoice.buyer_name == owner.get_full_name() and invoice.total_ttc_cents == 5200
    pdf = client.get(reverse("admin:invoices_invoice_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.postgres
def test_the_database_itself_refuses_to_update_an_issued_invoice(owner, traveller, unit):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL trigger")
    from django.db import IntegrityError, transaction

    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE invoices_invoice SET total_ttc_cents = 1 WHERE id = %s", [invoice.pk])


def test_the_invoice_says_it_is_paid_by_the_month_transfer_when_it_went_out(owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    ready_account(owner)
    pay_month(owner, NOVEMBER, transfer_id="tr_novembre")
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    assert (invoice.settlement, invoice.transfer_reference) == (Settlement.PAID, "tr_novembre")


def test_an_owner_not_onboarded_is_invoiced_to_be_settled_on_the_next_transfer(owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    assert pay_month(owner, NOVEMBER).status == "waiting_onboarding"
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    assert (invoice.settlement, invoice.transfer_reference) == (Settlement.NEXT_TRANSFER, "")


def test_the_buyer_is_copied_from_the_billing_address_when_issued(owner, traveller, unit):
    address = billing_address(owner)
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    address.name = "Nouveau nom"
    address.save()
    invoice.refresh_from_db()
    assert invoice.buyer_name == "SCI du Moulin"
    assert invoice.buyer_address_lines == ["2 chemin du Bief", "37400 Amboise", "France"]
    assert invoice.buyer_vat_number == "FR40123456824"
    assert invoice.seller["siret"] and invoice.seller["vat_number"].startswith("FR")


def test_the_command_issues_the_month_given(owner, traveller, unit, capsys):
    paid_stay(unit=unit, traveller=traveller, arrival=ARRIVAL)
    call_command("issue_invoices", "--month", "2026-11")
    assert "1 facture(s), 0 avoir(s)" in capsys.readouterr().out
    assert Invoice.objects.get().month == NOVEMBER


def test_the_beat_issues_invoices_on_the_first_at_seven_in_paris(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["issue-invoices"]
    assert entry["task"] == "invoices.tasks.issue_invoices"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_month) == ({7}, {0}, {1})
    assert str(schedule.tz) == "Europe/Paris"


def test_the_command_refuses_a_malformed_month():
    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("issue_invoices", "--month", "novembre")
