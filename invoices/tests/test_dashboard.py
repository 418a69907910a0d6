"""The owner's "Paiements" tab: payouts with their state, statement and invoice; what is
earned and not payable yet; the Stripe Connect state in words; pages; a fixed query count."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from invoices.monthly import issue_invoices
from payouts.models import ConnectedAccount, Payout, PayoutStatus

from .conftest import at, paid_stay, pay_month, ready_account

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)


def page_of(client, **query) -> str:
    response = client.get(reverse("dashboard_payments"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_an_owner_with_nothing_yet_sees_honest_empty_states(owner_client):
    html = page_of(owner_client)
    assert "Aucun virement pour le moment" in html
    assert "Aucun gain en attente" in html
    assert "Non connecté" in html and "Relier mon compte Stripe" in html and reverse("stripe_connect") in html


def test_a_sent_payout_shows_its_state_statement_and_invoice(owner_client, owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 12))
    ready_account(owner)
    payout = pay_month(owner, NOVEMBER, transfer_id="tr_novembre")
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    html = page_of(owner_client)
    assert "Envoyé" in html and "348,00\u00a0€" in html
    assert reverse("payout_statement_pdf", args=[payout.pk]) in html
    assert reverse("payout_statement_csv", args=[payout.pk]) in html
    assert reverse("invoice_pdf", args=[invoice.number]) in html and f"Facture {invoice.number}" in html
    assert "Prêt" in html


def test_a_payout_waiting_for_stripe_onboarding_says_so_with_the_link(owner_client, owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 12))
    ConnectedAccount.objects.create(owner=owner, stripe_account_id="acct_new", requirements_due=["individual.dob.day"])
    payout = pay_month(owner, NOVEMBER)
    assert payout.status == PayoutStatus.WAITING_ONBOARDING
    html = page_of(owner_client)
    assert "En attente de l&#x27;inscription Stripe" in html
    assert "En attente : inscription à terminer" in html and "Stripe attend encore 1 information." in html
    assert "Terminer mon inscription Stripe" in html and reverse("stripe_connect") in html
    assert reverse("payout_statement_pdf", args=[payout.pk]) not in html  # nothing attached yet


@pytest.mark.parametrize(("status", "words"), [(PayoutStatus.PENDING, "En attente"),
                                               (PayoutStatus.FAILED, "Échoué"),
                                               (PayoutStatus.NOTHING_DUE, "Rien à verser")])
def test_each_payout_state_is_named_in_words(owner_client, owner, status, words):
    Payout.objects.create(owner=owner, month=NOVEMBER, status=status, amount_cents=12300)
    html = page_of(owner_client)
    assert '<span class="status-pill status-' in html and f">{words}</span>" in html


def test_earned_but_not_payable_shows_the_net_and_the_day_it_will_be_paid(owner_client, owner, traveller, unit):
    arrival = timezone.localdate() + timedelta(days=40)
    booking = paid_stay(unit=unit, traveller=traveller, arrival=arrival)
    html = page_of(owner_client)
    assert booking.reference in html and "348,00\u00a0€" in html
    departure = arrival + timedelta(days=3)
    paid_day = date(departure.year + departure.month // 12, departure.month % 12 + 1, 1)
    assert f"1er {_french_month(paid_day)} {paid_day.year}" in html
    assert "13 % sur les hébergements" in html


def test_another_owners_payouts_never_show(client, owner, other_owner):
    Payout.objects.create(owner=owner, month=NOVEMBER, status=PayoutStatus.SENT, amount_cents=98765)
    client.force_login(other_owner)
    html = page_of(client)
    assert "987,65" not in html and "Aucun virement pour le moment" in html


def test_the_tab_is_for_owners(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("dashboard_payments")).status_code == 302


def test_payouts_are_paginated_newest_first(owner_client, owner):
    for months_back in range(14):
        year, month = divmod(2026 * 12 + 10 - months_back, 12)
        Payout.objects.create(owner=owner, month=date(year, month + 1, 1), status=PayoutStatus.SENT,
                              amount_cents=1000 + months_back)
    first = page_of(owner_client)
    assert "14 versements mensuels" in first and "1er novembre 2026" in first and "Page 1 sur 2" in first
    assert "10,13\u00a0€" not in first
    second = page_of(owner_client, page=2)
    assert "10,13\u00a0€" in second and "1er novembre 2026" not in second


def test_the_tab_needs_a_fixed_number_of_queries(owner_client, owner, traveller, unit, django_assert_max_num_queries):
    def add_month(months_back: int) -> None:
        year, month = divmod(2026 * 12 + 10 - months_back, 12)
        day = date(year, month + 1, 1)
        paid_stay(unit=unit, traveller=traveller, arrival=day - timedelta(days=10))
        pay_month(owner, day, transfer_id=f"tr_{months_back}")
        issue_invoices(month=day, now=at(day, 7))

    ready_account(owner)
    add_month(0)
    paid_stay(unit=unit, traveller=traveller, arrival=timezone.localdate() + timedelta(days=40))
    with django_assert_max_num_queries(20) as few:
        page_of(owner_client)
    for months_back in range(1, 6):
        add_month(months_back)
    for weeks in range(1, 5):
        paid_stay(unit=unit, traveller=traveller, arrival=timezone.localdate() + timedelta(days=40 + 7 * weeks))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page_of(owner_client)
    assert html.count("Facture AH-") == 6 and html.count("Envoyé") == 6


def _french_month(day: date) -> str:
    return ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
            "novembre", "décembre"][day.month - 1]


def test_the_count_of_payments_to_come_is_kept_until_a_booking_ends(settings, monkeypatch, owner_client, owner, traveller,
                                                                    unit, django_capture_on_commit_callbacks):
    """Kept in the shared cache under the owner's bookings version (bookings/owner_aggregates.py);
    the ledger's "booking ended" transactions, written in bulk, replace the version too."""
    from django.core.cache import cache

    from invoices import selectors
    from payouts import ledger

    settings.OWNER_AGGREGATES_CACHE_SECONDS = 86400
    cache.clear()
    monkeypatch.setattr(selectors, "UPCOMING_LIMIT", 2)
    first = timezone.localdate() + timedelta(days=40)
    stays = [paid_stay(unit=unit, traveller=traveller, arrival=first + timedelta(days=10 * n)) for n in range(3)]
    assert "3 réservations en cours ou à venir" in page_of(owner_client)
    assert "3 réservations en cours ou à venir" in page_of(owner_client)  # kept

    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.end_bookings(before=stays[0].service_end + timedelta(days=1),
                                   now=stays[0].service_end + timedelta(days=1)) == 1
    assert "2 réservations en cours ou à venir" in page_of(owner_client)
