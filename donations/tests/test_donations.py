"""The heritage donation: credited to the foundations by the ledger when a booking's service
ends (on the amount kept), divided by the weights in force then, to the cent; staff's monthly
report equals the ledger; the public page and the traveller see what was given."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings import emails
from donations.allocation import divide
from donations.models import DonationAllocation, DonationTransfer, Foundation
from donations.selectors import given_so_far, month_report
from payouts import ledger
from payouts.models import LedgerAccount, LedgerEntry
from payouts.tests.money import another_unit, paid_stay, paris, refund

pytestmark = pytest.mark.django_db
OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


def end_before(*args) -> None:
    ledger.end_bookings(before=paris(*args), now=paris(*args))


def ledger_donations(**filters) -> int:
    rows = LedgerEntry.objects.filter(account=LedgerAccount.DONATION_PAYABLE, **filters)
    return -sum(rows.values_list("amount_cents", flat=True))


def by_name(rows) -> dict[str, tuple[int, int]]:
    return {row.foundation.name if row.foundation else None: (row.cents, row.bookings) for row in rows}


@pytest.fixture
def stay(unit, traveller):
    """28 → 31 October 2026: 400 €, so 4 € for heritage (1 %), paid in September."""
    return paid_stay(unit, traveller, date(2026, 10, 28), date(2026, 10, 31))


MERIMEE, SAUVEGARDE = "Fondation Mérimée", "La Sauvegarde de l'Art Français"


def test_the_two_foundations_are_seeded_with_equal_shares():
    assert sorted(Foundation.objects.values_list("name", "weight", "active")) == [
        (MERIMEE, 1, True), (SAUVEGARDE, 1, True)]


def test_the_donation_accrues_when_the_service_ends_and_not_before(stay):
    end_before(2026, 10, 30)  # the stay ends at 00:00 on 31 October
    assert ledger_donations() == 0 and not DonationAllocation.objects.exists()
    assert by_name(given_so_far()) == {MERIMEE: (0, 0), SAUVEGARDE: (0, 0)}
    end_before(2026, 11, 1)
    assert ledger_donations(booking=stay) == 400
    assert by_name(given_so_far()) == {MERIMEE: (200, 1), SAUVEGARDE: (200, 1)}
    # From our commission: the owner's net is the same as without any donation.
    assert ledger.booking_split(stay).net == 40000 - 5200


def test_a_fully_refunded_booking_gives_nothing(stay):
    refund(stay, 40000, now=paris(2026, 10, 1))
    end_before(2026, 11, 1)
    assert ledger_donations() == 0
    assert sum(row.cents for row in given_so_far()) == 0


def test_a_refund_after_the_end_takes_back_from_the_foundations_by_the_same_shares(stay):
    end_before(2026, 11, 1)
    refund(stay, 10000, now=paris(2026, 11, 5))  # kept 300 €: 3 € given in all
    assert by_name(month_report(OCT)) == {MERIMEE: (200, 1), SAUVEGARDE: (200, 1)}
    assert by_name(month_report(NOV)) == {MERIMEE: (-50, 1), SAUVEGARDE: (-50, 1)}
    assert by_name(given_so_far()) == {MERIMEE: (150, 1), SAUVEGARDE: (150, 1)}


def test_the_split_is_exact_to_the_cent_by_largest_remainder():
    assert divide(100, [(1, 1), (2, 1), (3, 1)]) == {1: 34, 2: 33, 3: 33}
    assert divide(101, [(1, 1), (2, 2)]) == {1: 34, 2: 67}
    assert divide(7, [(1, 5), (2, 3), (3, 2)]) == {1: 4, 2: 2, 3: 1}  # 3,5 / 2,1 / 1,4: the 0,5 wins
    assert divide(-101, [(1, 1), (2, 2)]) == {1: -34, 2: -67}
    assert divide(5, [(1, 0)]) == {}
    for cents in range(0, 400):
        assert sum(divide(cents, [(1, 3), (2, 7), (3, 11)]).values()) == cents


def test_weights_divide_each_donation_and_the_foundations_sum_to_the_ledger(unit, traveller):
    Foundation.objects.filter(name=MERIMEE).update(weight=2)
    Foundation.objects.create(name="Fondation du Patrimoine", weight=1)
    paid_stay(unit, traveller, date(2026, 10, 28), date(2026, 10, 31))  # 4,00 €
    paid_stay(another_unit(unit, "La Tour", nightly="105.00"), traveller, date(2026, 10, 2), date(2026, 10, 4))
    end_before(2026, 11, 1)
    rows = by_name(month_report(OCT))
    # 400 → 200/100/100 ; 2 × 105 € + 40 € = 250 € → 2,50 € → 125 / 62,5 / 62,5: the half cent to the older
    assert rows == {MERIMEE: (325, 2), SAUVEGARDE: (163, 2), "Fondation du Patrimoine": (162, 2)}
    assert sum(cents for cents, _ in rows.values()) == ledger_donations()


def test_a_weight_change_applies_only_to_bookings_ended_after_it(unit, traveller, stay):
    end_before(2026, 11, 1)  # the October stay ends under equal weights
    Foundation.objects.filter(name=SAUVEGARDE).update(weight=3)
    later = paid_stay(another_unit(unit, "La Tour"), traveller, date(2026, 11, 2), date(2026, 11, 5))  # 400 €
    end_before(2026, 12, 1)
    assert by_name(month_report(OCT)) == {MERIMEE: (200, 1), SAUVEGARDE: (200, 1)}
    assert by_name(month_report(NOV)) == {MERIMEE: (100, 1), SAUVEGARDE: (300, 1)}
    assert ledger_donations(booking=later) == 400


def test_an_inactive_foundation_receives_nothing_from_later_endings(stay):
    Foundation.objects.filter(name=SAUVEGARDE).update(active=False)
    end_before(2026, 11, 1)
    assert by_name(month_report(OCT)) == {MERIMEE: (400, 1)}


def test_the_staff_report_equals_the_ledger_on_the_page_and_in_csv_and_pdf(client, staff, stay, unit, traveller):
    paid_stay(another_unit(unit, "La Tour", nightly="105.00"), traveller, date(2026, 10, 2), date(2026, 10, 4))
    end_before(2026, 11, 1)
    client.force_login(staff)
    url = reverse("admin:donations_report")
    page = client.get(url, {"mois": "2026-10"}).content.decode()
    assert "3,25\u00a0€" in page and "6,50\u00a0€" in page  # each foundation, then the total = the ledger
    assert ledger_donations() == 650
    response = client.get(url, {"mois": "2026-10", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Fondation", "Réservations", "Montant"], [MERIMEE, "2", "3,25"], [SAUVEGARDE, "2", "3,25"]]
    pdf = client.get(url, {"mois": "2026-10", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Aucun don" in client.get(url, {"mois": "2026-09"}).content.decode()


def test_the_report_is_for_staff_only(client, traveller):
    url = reverse("admin:donations_report")
    assert client.get(url).status_code == 302  # to the admin's login
    client.force_login(traveller)
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 302 and "csv" not in response["Content-Type"]


def test_staff_edit_foundations_and_mark_a_month_as_transferred(client, staff):
    client.force_login(staff)
    merimee = Foundation.objects.get(name=MERIMEE)
    for name in ("admin:donations_foundation_changelist", "admin:donations_foundation_add",
                 "admin:donations_donationtransfer_changelist", "admin:donations_donationtransfer_add"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("admin:donations_foundation_change", args=[merimee.pk])).status_code == 200
    response = client.post(reverse("admin:donations_donationtransfer_add"), {
        "foundation": merimee.pk, "month": "2026-10-15", "amount": "3.25", "transferred_on": "2026-11-04",
        "bank_reference": "VIR-2026-11-004"})
    assert response.status_code == 302
    transfer = DonationTransfer.objects.get()
    assert (transfer.month, transfer.amount, transfer.recorded_by) == (OCT, Decimal("3.25"), staff)
    page = client.get(reverse("admin:donations_report"), {"mois": "2026-10"}).content.decode()
    assert "VIR-2026-11-004" in page


def test_the_partners_page_counts_only_ended_bookings_per_foundation(client, stay, unit, traveller):
    paid_stay(another_unit(unit, "La Tour"), traveller, date(2026, 12, 2), date(2026, 12, 5))  # not ended
    end_before(2026, 11, 1)
    html = client.get(reverse("page_detail", args=["partenaires"])).content.decode()
    assert '<p class="lead">4\u00a0€</p>' in html  # only the October stay: the December one has not happened
    assert f"{MERIMEE}</a> : 2,00\u00a0€" in html
    assert "La Sauvegarde de l&#x27;Art Français</a> : 2,00\u00a0€" in html


def test_the_partners_page_reads_its_totals_from_the_cache_until_a_booking_ends(client, stay, unit, traveller):
    end_before(2026, 11, 1)
    url = reverse("page_detail", args=["partenaires"])
    with CaptureQueriesContext(connection) as first:
        assert '<p class="lead">4\u00a0€</p>' in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert '<p class="lead">4\u00a0€</p>' in client.get(url).content.decode()
    # The ledger's sums, the stored weights and the foundations (two queries): read once.
    assert len(again) == len(first) - 4
    assert not [q for q in again.captured_queries if "payouts_ledgerentry" in q["sql"] or "donations_" in q["sql"]]

    paid_stay(another_unit(unit, "La Tour"), traveller, date(2026, 11, 2), date(2026, 11, 4))  # 1 % of 280 €
    end_before(2026, 12, 1)  # its ended posting forgets the cached totals
    html = client.get(url).content.decode()
    assert '<p class="lead">6,80\u00a0€</p>' in html
    assert f"{MERIMEE}</a> : 3,40\u00a0€" in html


def test_a_foundation_edited_by_staff_shows_at_once_on_the_partners_page(client, stay):
    end_before(2026, 11, 1)
    url = reverse("page_detail", args=["partenaires"])
    assert f"{MERIMEE}</a> : 2,00\u00a0€" in client.get(url).content.decode()
    merimee = Foundation.objects.get(name=MERIMEE)
    merimee.name = "Fondation Prosper Mérimée"
    merimee.save()
    assert "Fondation Prosper Mérimée</a> : 2,00\u00a0€" in client.get(url).content.decode()


def test_the_traveller_is_told_what_the_booking_gives_to_heritage(client, stay, traveller):
    emails.confirmed(stay)  # what confirm_payment sends on commit
    confirmation = next(m for m in mail.outbox if m.to == [traveller.email] and "confirmée" in m.subject)
    assert "4,00\u00a0€ de votre réservation iront aux fondations du patrimoine" in confirmation.body
    client.force_login(traveller)
    url = reverse("trip_detail", args=[stay.reference])
    assert "Votre réservation donnera 4,00\u00a0€ aux fondations" in client.get(url).content.decode()
    refund(stay, 10000, now=paris(2026, 10, 29))  # a part refunded: the ledger's amount is what it gave
    end_before(2026, 11, 1)
    assert "Votre réservation a donné 3,00\u00a0€ aux fondations" in client.get(url).content.decode()
