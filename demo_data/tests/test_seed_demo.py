import logging
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from bookings.models import Booking, BookingStatus
from calsync.models import DoubleBookingAlert, Feed
from core.money import to_cents
from domains.models import Domain, OfferStatus, Revision, RevisionStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging
from payouts import ledger
from payouts.models import LedgerAccount, LedgerEntry, Payment, PaymentStatus, Refund, RefundStatus

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (User.objects.count(), Domain.objects.count(), Lodging.objects.count(), Experience.objects.count(),
            Booking.objects.count(), Session.objects.count(), Feed.objects.count())


def test_seed_demo_is_idempotent_sends_no_mail_and_prints_logins(capsys, mailoutbox):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert mailoutbox == []
    output = capsys.readouterr().out
    assert "patrimoine-demo" in output and "helene@demo.almaheritage.fr" in output


def test_demo_shows_every_state_an_owner_meets():
    call_command("seed_demo")
    assert Domain.objects.count() == 15
    for model in (Domain, Lodging):
        assert set(model.objects.values_list("status", flat=True)) == set(OfferStatus.values), model
    assert Revision.objects.filter(status=RevisionStatus.PENDING, submitted_at__isnull=False).count() == 1
    assert Session.objects.filter(experience__status=OfferStatus.PUBLISHED).exists()
    assert {BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED,
            BookingStatus.CANCELLED} <= set(Booking.objects.values_list("status", flat=True))
    assert Feed.objects.count() == 4 and DoubleBookingAlert.objects.count() == 1


def test_demo_logins_work_with_the_printed_password():
    call_command("seed_demo")
    for email in ["helene@demo.almaheritage.fr", "lucie@demo.almaheritage.fr", "equipe@demo.almaheritage.fr"]:
        assert authenticate(username=email, password="patrimoine-demo") is not None, email


def test_demo_has_stays_paid_by_card_then_refunded_in_full_and_in_part_and_the_ledger_balances(
        caplog, client, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")  # the refund taker runs on commit, as after a real cancellation
    assert "exceed its card payments" not in caplog.text and "no app takes refunds" not in caplog.text

    refunded = {booking.refund_state: booking for booking in Booking.objects.filter(refunded_amount__gt=0)}
    full, partial = refunded["full"], refunded["partial"]
    assert full.status == BookingStatus.CANCELLED and full.cancelled_by == "traveller"
    assert partial.status == BookingStatus.CONFIRMED and partial.refunded_amount == Decimal("50.00")
    for booking in (full, partial):
        payment = Payment.objects.get(booking=booking)
        refunds = list(Refund.objects.filter(payment=payment))
        assert payment.status == PaymentStatus.SUCCEEDED and payment.amount_cents == to_cents(booking.amount_paid)
        assert refunds and all(refund.status == RefundStatus.SUCCEEDED for refund in refunds)
        assert sum(refund.amount_cents for refund in refunds) == payment.refunded_cents == to_cents(
            booking.refunded_amount)
        # The ledger: the payment in, the refund out, and the rest held for the traveller's stay.
        entries = LedgerEntry.objects.filter(transaction__booking=booking)
        balance = {account: sum(e.amount_cents for e in entries if e.account == account)
                   for account in {e.account for e in entries}}
        kept = payment.amount_cents - payment.refunded_cents
        assert balance.get(LedgerAccount.CASH, 0) == kept
        assert balance.get(LedgerAccount.TRAVELLER_PREPAID, 0) == -kept
        assert sum(balance.values()) == 0
    assert not ledger.unbalanced_transactions().exists()

    # What people see: the traveller's trip, the owner's booking, list and payments.
    client.force_login(partial.traveller)
    trip = unescape(client.get(reverse("trip_detail", args=[partial.reference])).content.decode())
    assert "Remboursé : 50,00\u00a0€" in trip
    client.force_login(full.owner)
    page = unescape(client.get(reverse("dashboard_booking", args=[full.reference])).content.decode())
    assert "Remboursé" in page and "Annulée" in page
    client.force_login(partial.owner)
    page = unescape(client.get(reverse("dashboard_booking", args=[partial.reference])).content.decode())
    assert "Remboursé" in page and "50,00\u00a0€" in page
    payments = client.get(reverse("dashboard_payments")).content.decode()
    assert partial.reference in payments  # its net, less the refund, comes with the next payout
