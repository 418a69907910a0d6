"""Refunds through the local Stripe server: on cancellation (full and partial), when Stripe
is down (retried by the sweep), and those staff make in Stripe's own dashboard."""
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import requests
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bookings import services as bookings
from bookings.models import BookingStatus
from payouts.models import Payment, Refund, RefundReason, RefundStatus
from payouts.refunds import attempt_refund, retry_refunds

from .conftest import SECRET_KEY, event

pytestmark = pytest.mark.django_db


def book_and_pay(client, *, unit, owner, traveller, stripe_server, days_ahead: int):
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=days_ahead)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=3), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[booking.reference]))
    intent_id = page.context["payment"].stripe_payment_intent_id
    stripe_server.pay(intent_id, page.context["client_secret"])
    client.get(reverse("payment_return", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    return booking, intent_id


def test_a_late_cancellation_by_the_traveller_refunds_the_late_percentage(
        client, unit, owner, traveller, stripe_server, mailoutbox, django_capture_on_commit_callbacks):
    # Arrival in 5 days: past the 14-day free cancellation deadline, the lodging refunds 50 %.
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=5)
    with django_capture_on_commit_callbacks(execute=True):
        owed = bookings.cancel(booking=booking, by=traveller, now=timezone.now())

    assert owed == Decimal("200.00")
    assert [r["amount"] for r in stripe_server.refunds(intent_id)] == [20000]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.refunded_amount == Decimal("200.00") and booking.refund_state == "partial"
    refund = Refund.objects.get()
    assert (refund.reason, refund.status, refund.amount_cents) == (RefundReason.CANCELLATION,
                                                                   RefundStatus.SUCCEEDED, 20000)
    assert Payment.objects.get().refunded_cents == 20000
    assert any("Votre remboursement est effectué" in mail.subject for mail in mailoutbox)


def test_an_owner_cancellation_refunds_everything(client, unit, owner, traveller, stripe_server,
                                                  django_capture_on_commit_callbacks):
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=5)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking=booking, by=owner, now=timezone.now())
    assert [r["amount"] for r in stripe_server.refunds(intent_id)] == [40000]
    booking.refresh_from_db()
    assert booking.refunded_amount == Decimal("400.00") and booking.refund_state == "full"


def test_a_refund_stripe_cannot_take_now_is_retried_by_the_sweep(
        client, unit, owner, traveller, stripe_server, settings, django_capture_on_commit_callbacks):
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=40)
    real_server = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe unreachable during the cancellation
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking=booking, by=traveller, now=timezone.now())  # no error for the traveller

    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PENDING and refund.error_message
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.refunded_amount == 0

    settings.STRIPE_API_BASE = real_server
    assert retry_refunds(now=timezone.now()) == 0  # a fresh attempt is left alone a little while
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_refunds(now=timezone.now() + timedelta(minutes=10)) == 1
        assert retry_refunds(now=timezone.now() + timedelta(minutes=20)) == 0  # idempotent

    assert [r["amount"] for r in stripe_server.refunds(intent_id)] == [40000]
    booking.refresh_from_db()
    assert booking.refunded_amount == Decimal("400.00")


def test_the_sweep_is_a_management_command(client, unit, owner, traveller, stripe_server, settings,
                                            django_capture_on_commit_callbacks):
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=40)
    real_server = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe unreachable during the cancellation
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking=booking, by=traveller, now=timezone.now())
    settings.STRIPE_API_BASE = real_server
    out = StringIO()

    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        call_command("retry_refunds", stdout=out)

    assert out.getvalue().strip() == "1 refund(s) done"
    assert [r["amount"] for r in stripe_server.refunds(intent_id)] == [40000]
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(client, unit, owner, traveller, stripe_server,
                                                             post_event, django_capture_on_commit_callbacks):
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=40)
    charge_id = Payment.objects.get().stripe_charge_id
    requests.post(f"{stripe_server.url}/v1/refunds", data={"charge": charge_id, "amount": 5000},
                  headers={"Authorization": f"Bearer {SECRET_KEY}"}, timeout=5).raise_for_status()
    charge = {"id": charge_id, "object": "charge", "payment_intent": intent_id, "amount_refunded": 5000}

    with django_capture_on_commit_callbacks(execute=True):
        post_event(event("charge.refunded", charge, event_id="evt_refund_1"))
        post_event(event("charge.refunded", charge, event_id="evt_refund_1_again"))

    refund = Refund.objects.get()
    assert (refund.reason, refund.amount_cents, refund.status) == (RefundReason.STRIPE_DASHBOARD, 5000,
                                                                   RefundStatus.SUCCEEDED)
    booking.refresh_from_db()
    assert booking.refunded_amount == Decimal("50.00")


def test_our_own_refund_announced_by_stripe_is_not_counted_twice(client, unit, owner, traveller, stripe_server,
                                                                 post_event, django_capture_on_commit_callbacks):
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=40)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking=booking, by=traveller, now=timezone.now())
        charge = {"id": Payment.objects.get().stripe_charge_id, "object": "charge", "payment_intent": intent_id}
        post_event(event("charge.refunded", charge))

    assert Refund.objects.count() == 1
    booking.refresh_from_db()
    assert booking.refunded_amount == Decimal("400.00")


def test_a_booking_without_card_payment_is_cancelled_without_a_stripe_call(traveller, owner, unit, settings,
                                                                           django_capture_on_commit_callbacks):
    """Seed data or a voucher-only booking: nothing to refund by card, and no error."""
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=40)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=2), adults=1, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    assert bookings.confirm_payment(booking=booking, amount_paid=booking.total_price, now=now)
    settings.STRIPE_SECRET_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking=booking, by=owner, now=now)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not Refund.objects.exists()


def test_a_refund_being_asked_elsewhere_is_not_asked_twice(client, unit, owner, traveller, stripe_server):
    booking, intent_id = book_and_pay(client, unit=unit, owner=owner, traveller=traveller,
                                      stripe_server=stripe_server, days_ahead=40)
    now = timezone.now()
    refund = Refund.objects.create(payment=Payment.objects.get(), amount_cents=1000, request_key="t",
                                   reason=RefundReason.CANCELLATION, attempted_at=now)  # another process
    attempt_refund(refund_id=refund.pk, now=now + timedelta(seconds=5))
    assert stripe_server.refunds(intent_id) == []
    attempt_refund(refund_id=refund.pk, now=now + timedelta(minutes=5))  # that process died: lease expired
    assert [r["amount"] for r in stripe_server.refunds(intent_id)] == [1000]


def test_the_periodic_jobs_are_wired_as_tasks_and_commands(db, stripe_server, settings):
    from payouts import tasks

    assert settings.CELERY_BEAT_SCHEDULE["retry-refunds"]["task"] == "payouts.tasks.retry_refunds"
    assert settings.CELERY_BEAT_SCHEDULE["cancel-abandoned-payments"]["task"] == \
        "payouts.tasks.cancel_abandoned_payments"
    assert tasks.retry_refunds.delay().get() == 0
    assert tasks.cancel_abandoned_payments.delay().get() == 0
    call_command("cancel_abandoned_payments")
