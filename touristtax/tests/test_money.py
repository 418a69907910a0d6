"""The taxe de séjour's money: charged on the card (local Stripe server), posted to its own
ledger account at the end of the stay (never the owner's payable, never our commission),
returned with the nights refunded, and declared to the commune from the ledger."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from bookings import services as bookings
from core.money import to_cents
from payouts import ledger
from payouts.models import LedgerAccount, LedgerEntry, TransactionKind
from payouts.tests.money import another_unit, paid_stay, paris, refund
from touristtax.declaration import declaration, semester
from touristtax.models import Commune, Remittance

pytestmark = pytest.mark.django_db
A = LedgerAccount
D = Decimal


def tax_payable(booking=None) -> int:
    entries = LedgerEntry.objects.filter(account=A.TOURIST_TAX_PAYABLE)
    if booking is not None:
        entries = entries.filter(booking=booking)
    return -(entries.aggregate(total=Sum("amount_cents"))["total"] or 0)


def end_october() -> None:
    ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 11, 1, 1))


def test_the_card_charged_on_the_local_stripe_server_includes_the_tax(taxed_lodging, unit, owner, traveller, client,
                                                                     stripe_server):
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=30)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=3), adults=2, children=1, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[booking.reference]))
    assert page.status_code == 200
    payment = page.context["payment"]
    assert stripe_server.intent(payment.stripe_payment_intent_id)["amount"] == 40792  # 400 € + 7,92 € of tax
    html = page.content.decode()
    assert "Taxe de séjour" in html and "407,92\u00a0€" in html
    answer = stripe_server.pay(payment.stripe_payment_intent_id, page.context["client_secret"])
    assert answer.json()["status"] == "succeeded"
    back = client.get(reverse("payment_return", args=[booking.reference]),
                      {"payment_intent": payment.stripe_payment_intent_id})
    assert back.status_code == 200 and "Taxe de séjour" in back.content.decode()  # the receipt
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.amount_paid == D("407.92")
    assert booking.commission_amount == D("52.00")


def test_the_tax_goes_to_its_own_account_at_the_end_never_to_the_owner_nor_the_commission(taxed_lodging, unit,
                                                                                           traveller):
    booking = paid_stay(unit, traveller, date(2026, 10, 5), date(2026, 10, 8))
    assert to_cents(booking.amount_paid) == 40792
    assert tax_payable() == 0  # held with the card money until the stay ends
    end_october()
    assert tax_payable(booking) == 792
    assert LedgerEntry.objects.filter(transaction__kind=TransactionKind.TOURIST_TAX, booking=booking).count() == 2
    parts = ledger.booking_split(booking)
    assert (parts.kept, parts.commission, parts.net) == (40000, 5200, 34800)
    assert 40792 == parts.net + parts.commission + tax_payable(booking)
    assert not ledger.unbalanced_transactions().exists()
    ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 11, 1, 2))  # again: posted once
    assert tax_payable(booking) == 792


def test_the_owner_sees_a_net_earned_without_the_tax_before_the_stay_ends(taxed_lodging, unit, traveller, owner):
    from invoices.selectors import earned_not_payable, expected_net_cents

    booking = paid_stay(unit, traveller, date(2026, 10, 5), date(2026, 10, 8))
    assert expected_net_cents(booking) == 34800  # 400 € − 13 %, the 7,92 € of tax are not theirs
    (upcoming,), count = earned_not_payable(owner=owner, limit=10)
    assert count == 1 and upcoming.net_cents == 34800
    end_october()
    assert ledger.booking_split(booking).net == 34800


def test_a_late_cancellation_returns_the_tax_of_the_nights_refunded(taxed_lodging, unit, traveller):
    booking = paid_stay(unit, traveller, date(2026, 10, 5), date(2026, 10, 8))
    late = paris(2026, 9, 30)  # 5 days before: past the 14-day deadline, 50 % refunded
    owed = bookings.refund_amount_for_cancellation(booking=booking, by_owner=False, now=late)
    assert owed == D("203.96")  # half of price and tax
    refund(booking, to_cents(owed), now=late)
    end_october()
    assert tax_payable(booking) == 396  # the tax of the half kept
    parts = ledger.booking_split(booking)
    assert parts.kept == 20000 and parts.net + parts.commission + tax_payable(booking) + 20396 == 40792


def test_a_full_refund_returns_all_the_tax(taxed_lodging, unit, owner, traveller):
    booking = paid_stay(unit, traveller, date(2026, 10, 5), date(2026, 10, 8))
    owed = bookings.refund_amount_for_cancellation(booking=booking, by_owner=True, now=paris(2026, 9, 30))
    assert owed == D("407.92")
    refund(booking, to_cents(owed), now=paris(2026, 9, 30))
    end_october()
    assert tax_payable(booking) == 0
    assert ledger.booking_split(booking).kept == 0


def test_a_refund_after_the_stay_returns_its_share_of_the_tax(taxed_lodging, unit, traveller):
    booking = paid_stay(unit, traveller, date(2026, 10, 5), date(2026, 10, 8))
    end_october()
    refund(booking, 10198, now=paris(2026, 11, 2))  # a quarter of the money, by staff
    assert tax_payable(booking) == 594  # three quarters of 7,92 € stay due
    parts = ledger.booking_split(booking)
    assert parts.net + parts.commission + tax_payable(booking) + 10198 == 40792
    refund(booking, 40792 - 10198, now=paris(2026, 11, 3))  # then the rest
    assert tax_payable(booking) == 0 and ledger.booking_split(booking).kept == 0
    assert not ledger.unbalanced_transactions().exists()


def test_the_declaration_totals_equal_the_ledger(taxed_lodging, unit, traveller, commune, client, staff):
    second_room = another_unit(unit, "Chambre 2", nightly="90.00")
    full = paid_stay(unit, traveller, date(2026, 10, 5), date(2026, 10, 8))  # 2 adults × 3 nights
    half = paid_stay(second_room, traveller, date(2026, 10, 12), date(2026, 10, 14))  # 2 adults × 2 nights
    refund(half, to_cents(half.amount_paid) // 2, now=paris(2026, 10, 1))
    cancelled = paid_stay(unit, traveller, date(2026, 10, 20), date(2026, 10, 22))
    refund(cancelled, to_cents(cancelled.amount_paid), now=paris(2026, 10, 1))
    end_october()
    ledger.end_bookings(before=paris(2027, 1, 10), now=paris(2027, 1, 10))

    result = declaration(commune=commune, period=semester(2026, 2))
    assert result.total_cents == tax_payable() == tax_payable(full) + tax_payable(half) == 792 + 264
    (line,) = result.lines  # one lodging, one tariff
    assert (line.stays, line.nights, line.persons) == (2, 5, 4)
    assert line.person_nights == D("8.00")  # 6 + half of 4
    assert line.per_adult_night == D("1.32")
    assert declaration(commune=commune, period=semester(2026, 1)).lines == []
    assert declaration(commune=Commune.objects.create(insee_code="21054"), period=semester(2026, 2)).lines == []

    client.force_login(staff)
    url = reverse("admin:touristtax_declaration", args=[commune.pk])
    page = client.get(url, {"periode": "2026-S2"})
    assert page.status_code == 200 and "10,56\u00a0€" in page.content.decode()
    csv = client.get(url, {"periode": "2026-S2", "format": "csv"})
    assert csv["Content-Disposition"] == 'attachment; filename="taxe-de-sejour-49328-2026-S2.csv"'
    assert "Le Logis du Prieur" in csv.content.decode("utf-8-sig") and "10,56" in csv.content.decode("utf-8-sig")
    pdf = client.get(url, {"periode": "2026-S2", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("admin:touristtax_commune_changelist")).status_code == 200

    # Staff record the payment to the commune: the declaration's total, once per period.
    bad = client.post(url + "?periode=2026-S2", {"remitted_on": "31/31/2027", "reference": ""})
    assert bad.status_code == 200 and not Remittance.objects.exists()
    done = client.post(url + "?periode=2026-S2", {"remitted_on": "2027-01-20", "reference": "VIR-2027-014"})
    assert done.status_code == 302
    client.post(url + "?periode=2026-S2", {"remitted_on": "2027-01-21", "reference": "again"})
    (remittance,) = Remittance.objects.all()
    assert (remittance.amount, remittance.reference, remittance.period_start) == (
        D("10.56"), "VIR-2027-014", date(2026, 7, 1))
    assert "VIR-2027-014" in client.get(url, {"periode": "2026-S2"}).content.decode()


def test_only_staff_reach_the_declaration(client, traveller, commune):
    client.force_login(traveller)
    response = client.get(reverse("admin:touristtax_declaration", args=[commune.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
