"""Signed events an attacker (or a bug at Stripe's end) could make us receive: a success for
another amount or currency than asked is never a confirmation, and an event we cannot read
is answered 200 and shown to staff, never a 500 that Stripe retries for days."""
import json

import pytest
from django.db.models import Sum
from django.urls import reverse

from bookings.models import BookingStatus
from payouts.models import (
    LedgerAccount,
    LedgerEntry,
    Payment,
    Refund,
    RefundReason,
    RefundStatus,
    StripeEvent,
    StripeEventOutcome,
)

from .conftest import event, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_intent(client, traveller, accepted_stay, stripe_server):
    """The traveller paid 400 € on Stripe; our site has not heard of it yet."""
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    payment = page.context["payment"]
    assert stripe_server.pay(payment.stripe_payment_intent_id, page.context["client_secret"]).status_code == 200
    client.logout()
    return stripe_server.intent(payment.stripe_payment_intent_id)


def balance(booking, account) -> int:
    return LedgerEntry.objects.filter(booking=booking, account=account).aggregate(t=Sum("amount_cents"))["t"] or 0


def staff_mails(mailoutbox, settings):
    return [mail for mail in mailoutbox if mail.to == [settings.STAFF_INBOX_OWNERS]]


def test_a_success_of_one_yen_for_a_400_euro_stay_is_refunded_never_confirmed(
        post_event, client, staff, accepted_stay, paid_intent, stripe_server, mailoutbox, settings,
        django_capture_on_commit_callbacks):
    forged = dict(paid_intent, amount=1, amount_received=1, currency="jpy")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(event("payment_intent.succeeded", forged)).status_code == 200

    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT
    assert accepted_stay.paid_at is None and accepted_stay.amount_paid == 0
    payment = Payment.objects.get()
    assert payment.amount_mismatch
    assert (payment.asked_amount_cents, payment.asked_currency) == (40000, "eur")
    assert (payment.amount_cents, payment.currency) == (1, "jpy")
    refund = Refund.objects.get()
    assert (refund.reason, refund.amount_cents, refund.status) == (RefundReason.AMOUNT_MISMATCH, 1,
                                                                   RefundStatus.SUCCEEDED)
    assert [r["amount"] for r in stripe_server.refunds(paid_intent["id"])] == [1]
    assert accepted_stay.refunded_amount == 0  # the booking never counted it
    # The ledger is in euros: a yen payment and its refund are left out of it entirely.
    assert not LedgerEntry.objects.filter(booking=accepted_stay).exists()
    recorded = StripeEvent.objects.get()
    assert recorded.outcome == StripeEventOutcome.AMOUNT_MISMATCH and "JPY" in recorded.problem

    [alert] = staff_mails(mailoutbox, settings)
    assert accepted_stay.reference in alert.body and "1 JPY" in alert.body and "40000 EUR" in alert.body
    assert not any("confirm" in mail.subject.lower() for mail in mailoutbox)

    client.force_login(staff)
    listed = client.get(reverse("admin:payouts_payment_changelist") + "?amount_mismatch__exact=1").content.decode()
    assert paid_intent["id"] in listed and "1 JPY" in listed and "400,00\u00a0€" in listed
    events = client.get(reverse("admin:payouts_stripeevent_changelist") + "?outcome=amount_mismatch").content.decode()
    assert forged["id"] in events


def test_a_success_one_cent_short_is_refunded_and_owed_back_in_the_ledger(
        post_event, accepted_stay, paid_intent, stripe_server, mailoutbox, settings,
        django_capture_on_commit_callbacks):
    short = dict(paid_intent, amount=39999, amount_received=39999)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(event("payment_intent.succeeded", short)).status_code == 200
        assert post_event(event("payment_intent.succeeded", short)).status_code == 200  # Stripe's retry

    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT
    refund = Refund.objects.get()
    assert (refund.reason, refund.amount_cents, refund.status) == (RefundReason.AMOUNT_MISMATCH, 39999,
                                                                   RefundStatus.SUCCEEDED)
    assert [r["amount"] for r in stripe_server.refunds(paid_intent["id"])] == [39999]
    # Received, owed back, given back: never held for the booking.
    assert balance(accepted_stay, LedgerAccount.TRAVELLER_PREPAID) == 0
    assert not LedgerEntry.objects.filter(booking=accepted_stay, account=LedgerAccount.TRAVELLER_PREPAID).exists()
    assert LedgerEntry.objects.filter(booking=accepted_stay, account=LedgerAccount.REFUNDS_DUE,
                                      amount_cents=-39999).exists()
    assert balance(accepted_stay, LedgerAccount.REFUNDS_DUE) == balance(accepted_stay, LedgerAccount.CASH) == 0
    assert len(staff_mails(mailoutbox, settings)) == 1  # once, whatever the retries


def test_the_return_page_decides_as_the_webhook_does(client, traveller, post_event, accepted_stay, paid_intent,
                                                     mailoutbox, settings, django_capture_on_commit_callbacks):
    # We asked 400.01 €; Stripe (asked by the return page) says 400.00 € was received.
    Payment.objects.update(amount_cents=40001)
    client.force_login(traveller)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("payment_return", args=[accepted_stay.reference]))
        post_event(event("payment_intent.succeeded", paid_intent))  # the genuine event, afterwards

    assert page.status_code == 200 and page.context["outcome"] == "mismatch"
    assert "Paiement non conforme" in page.content.decode()
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT
    assert Refund.objects.get().reason == RefundReason.AMOUNT_MISMATCH
    assert Payment.objects.get().asked_amount_cents == 40001
    assert len(staff_mails(mailoutbox, settings)) == 1


def test_the_exact_amount_still_confirms(post_event, accepted_stay, paid_intent):
    exact = dict(paid_intent, amount_received=40000, currency="EUR")
    assert post_event(event("payment_intent.succeeded", exact)).status_code == 200
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert not Refund.objects.exists()
    assert StripeEvent.objects.get().outcome == ""


# --- Signed events we cannot use ---------------------------------------------------------------

def post_raw(client, payload: bytes, *, secret=None):
    extra = {"secret": secret} if secret else {}
    return client.post("/stripe/webhook/", data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signed(payload, **extra))


MALFORMED = {
    "not JSON": b"<html>oops</html>",
    "a JSON list": b"[1, 2, 3]",
    "no data": json.dumps({"id": "evt_nodata", "type": "payment_intent.succeeded"}).encode(),
    "data.object a string": json.dumps({"id": "evt_str", "type": "charge.refunded",
                                        "data": {"object": "ch_1"}}).encode(),
    "a dispute without its id": json.dumps({"id": "evt_dispute", "type": "charge.dispute.created",
                                            "data": {"object": {"amount": 100}}}).encode(),
    "no id": json.dumps({"type": "payment_intent.succeeded", "data": {"object": {"id": "pi_x"}}}).encode(),
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_signed_event_is_answered_200_and_shown_to_staff(client, staff, accepted_stay, stripe_server,
                                                                    payload):
    assert post_raw(client, payload).status_code == 200
    assert post_raw(client, payload).status_code == 200  # Stripe's retry: still one row
    recorded = StripeEvent.objects.get()
    assert recorded.outcome == StripeEventOutcome.UNPROCESSABLE and recorded.problem
    client.force_login(staff)
    listed = client.get(reverse("admin:payouts_stripeevent_changelist") + "?outcome=unprocessable")
    assert recorded.event_id in listed.content.decode()


def test_a_payment_event_of_the_wrong_shape_is_unprocessable_and_changes_nothing(post_event, accepted_stay,
                                                                                  paid_intent):
    shapes = [dict(paid_intent, amount="40000", amount_received=None),  # amount as a string
              {key: value for key, value in paid_intent.items() if key not in ("amount", "amount_received")},
              dict(paid_intent, amount_received=0),  # a success that received nothing
              dict(paid_intent, id=["pi_list"])]
    for n, intent in enumerate(shapes):
        assert post_event(event("payment_intent.succeeded", intent, event_id=f"evt_shape_{n}")).status_code == 200
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT
    assert list(StripeEvent.objects.values_list("outcome", flat=True)) == [StripeEventOutcome.UNPROCESSABLE] * 4
    assert not Refund.objects.exists()


def test_a_success_for_a_payment_intent_we_do_not_know_is_recorded(post_event, paid_intent):
    stranger = dict(paid_intent, id="pi_not_ours")
    assert post_event(event("payment_intent.succeeded", stranger)).status_code == 200
    recorded = StripeEvent.objects.get()
    assert recorded.outcome == StripeEventOutcome.UNPROCESSABLE and "pi_not_ours" in recorded.problem


def test_a_badly_signed_body_stays_refused_even_if_it_is_not_json(client, stripe_server):
    assert post_raw(client, b"not json", secret="whsec_someone_else").status_code == 400
    assert not StripeEvent.objects.exists()
