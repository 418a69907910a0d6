"""A gift voucher at a booking's checkout: partial use over two bookings, a booking paid
entirely by voucher (no card), the hold lapsing, cancellations giving the voucher part back,
expiry, and every kind of bad code answered without saying whether a code exists."""
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings import services as bookings
from bookings.models import BookingStatus
from payouts import services as payments
from payouts.models import Payment
from payouts.tests.test_payments import pay
from vouchers import checkout
from vouchers.models import EventKind, RedemptionStatus, VoucherRedemption

pytestmark = pytest.mark.django_db


def use_code(client, booking, code):
    return client.post(reverse("voucher_apply", args=[booking.reference]), {"code": code}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_partial_use_over_two_bookings(client, traveller, accepted_stay, instant_stay, give_voucher, stripe_server,
                                       mailoutbox, django_capture_on_commit_callbacks):
    voucher, code = give_voucher(50000)  # 500 €
    client.force_login(traveller)
    # First booking, 400 €: the voucher pays it all, confirmed without a card.
    page = use_code(client, accepted_stay, code.lower().replace("-", " "))
    assert "Bon cadeau appliqué" in " ".join(messages_of(page))
    assert "Confirmer ma réservation" in page.content.decode() and "card-element" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("payment_without_card", args=[accepted_stay.reference]))
    assert done.status_code == 302
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert (accepted_stay.amount_paid, accepted_stay.voucher_amount) == (Decimal("0.00"), Decimal("400.00"))
    assert accepted_stay.owner_net == Decimal("348.00")  # the owner's net on the full price
    assert not Payment.objects.filter(booking=accepted_stay).exists()
    assert any("confirm" in m.subject.lower() for m in mailoutbox)  # the usual confirmation email
    assert VoucherRedemption.objects.get(booking=accepted_stay).status == RedemptionStatus.USED
    voucher.refresh_from_db()
    assert voucher.balance_cents == 10000
    # Second booking, 280 €: the 100 € left, then 180 € by card.
    use_code(client, instant_stay, code)
    instant_stay.refresh_from_db()
    assert instant_stay.voucher_amount == Decimal("100.00")
    with django_capture_on_commit_callbacks(execute=True):
        answer, back = pay(client, instant_stay, stripe_server)
    assert stripe_server.intent(answer.json()["id"])["amount"] == 18000
    instant_stay.refresh_from_db()
    assert instant_stay.status == BookingStatus.CONFIRMED
    assert (instant_stay.amount_paid, instant_stay.voucher_amount) == (Decimal("180.00"), Decimal("100.00"))
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0
    assert list(voucher.events.values_list("kind", flat=True)) == [
        EventKind.ISSUED, EventKind.DELIVERED, EventKind.RESERVED, EventKind.USED, EventKind.RESERVED, EventKind.USED]
    # Spent: a third try says nothing about the code.
    again = use_code(client, instant_stay, code)
    assert messages_of(again)


def test_the_voucher_panel_is_on_the_payment_page(client, traveller, accepted_stay, stripe_server):
    client.force_login(traveller)
    html = client.get(reverse("payment_page", args=[accepted_stay.reference])).content.decode()
    assert "Code du bon cadeau" in html and reverse("voucher_apply", args=[accepted_stay.reference]) in html


def test_a_lapsed_hold_gives_the_reserved_balance_back(client, traveller, instant_stay, give_voucher):
    voucher, code = give_voucher(10000)
    client.force_login(traveller)
    use_code(client, instant_stay, code)
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0
    with time_machine.travel(instant_stay.hold_until + timedelta(minutes=1)):
        bookings.expire_overdue(now=timezone.now())
    instant_stay.refresh_from_db()
    voucher.refresh_from_db()
    assert instant_stay.status == BookingStatus.EXPIRED
    assert voucher.balance_cents == 10000 and instant_stay.voucher_amount == 0
    assert VoucherRedemption.objects.get(booking=instant_stay).status == RedemptionStatus.RELEASED
    assert voucher.events.last().kind == EventKind.RELEASED


def test_a_payment_for_a_lapsed_voucher_booking_cannot_confirm_it(client, traveller, accepted_stay, give_voucher):
    voucher, code = give_voucher(50000)
    client.force_login(traveller)
    use_code(client, accepted_stay, code)
    with time_machine.travel(accepted_stay.pay_by + timedelta(minutes=1)):
        response = client.post(reverse("payment_without_card", args=[accepted_stay.reference]))
        assert response.status_code == 409
        assert "Le délai de paiement est dépassé" in response.content.decode()
        bookings.expire_overdue(now=timezone.now())
    accepted_stay.refresh_from_db()
    voucher.refresh_from_db()
    assert accepted_stay.status == BookingStatus.EXPIRED and voucher.balance_cents == 50000


def test_removing_the_code_gives_the_balance_back(client, traveller, accepted_stay, give_voucher):
    voucher, code = give_voucher(10000)
    client.force_login(traveller)
    use_code(client, accepted_stay, code)
    client.post(reverse("voucher_remove", args=[accepted_stay.reference]))
    voucher.refresh_from_db()
    accepted_stay.refresh_from_db()
    assert voucher.balance_cents == 10000 and accepted_stay.voucher_amount == 0
    assert payments.amount_due(accepted_stay) == Decimal("400.00")


def confirmed_with_voucher(client, booking, code, stripe_server=None):
    use_code(client, booking, code)
    booking.refresh_from_db()
    if payments.amount_due(booking) > 0:
        pay(client, booking, stripe_server)
    else:
        client.post(reverse("payment_without_card", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    return booking


def test_cancelling_gives_the_voucher_part_back_and_extends_a_voucher_about_to_lapse(
        client, traveller, accepted_stay, give_voucher, mailoutbox, django_capture_on_commit_callbacks):
    voucher, code = give_voucher(40000, now=timezone.now() - timedelta(days=350))  # lapses in 15 days
    client.force_login(traveller)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_with_voucher(client, accepted_stay, code)
    preview = client.get(reverse("trip_cancel", args=[accepted_stay.reference])).content.decode()
    assert "400,00\u00a0€ seront aussi recrédités sur vos bons cadeaux" in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trip_cancel", args=[accepted_stay.reference]))  # 30 days ahead: 100 %
    assert "400,00\u00a0€ sont recrédités sur vos bons cadeaux" in mailoutbox[-2].body + mailoutbox[-1].body
    voucher.refresh_from_db()
    accepted_stay.refresh_from_db()
    assert voucher.balance_cents == 40000 and accepted_stay.voucher_amount == 0
    assert voucher.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    kinds = list(voucher.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.RESTORED, EventKind.EXTENDED]


def test_a_late_cancellation_refunds_the_card_first_then_the_voucher(
        client, traveller, accepted_stay, give_voucher, stripe_server, django_capture_on_commit_callbacks):
    """400 € = 100 € voucher + 300 € card; cancelled 10 days before arrival (the 14-day free
    deadline has passed): 50 % of 400 € = 200 € back, all of it to the card."""
    voucher, code = give_voucher(10000)
    client.force_login(traveller)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_with_voucher(client, accepted_stay, code, stripe_server)
    late = timezone.now().replace(hour=12) + timedelta(days=20)
    assert bookings.cancellation_refund_parts(booking=accepted_stay, by_owner=False, now=late) == (
        Decimal("200.00"), Decimal("0.00"))
    # The owner cancels: everything back, 300 € to the card and 100 € to the voucher.
    with django_capture_on_commit_callbacks(execute=True):
        refund = bookings.cancel(booking=accepted_stay, by=accepted_stay.owner, now=timezone.now())
    assert refund == Decimal("300.00")
    voucher.refresh_from_db()
    assert voucher.balance_cents == 10000
    assert sum(r["amount"] for r in stripe_server.refunds(accepted_stay.payments.get().stripe_payment_intent_id)) == 30000


def test_a_late_cancellation_of_a_mostly_voucher_booking_splits_card_then_voucher(
        client, traveller, accepted_stay, give_voucher, stripe_server, django_capture_on_commit_callbacks):
    """400 € = 350 € voucher + 50 € card, 50 % refunded late: 50 € to the card, 150 € to the voucher."""
    voucher, code = give_voucher(35000)
    client.force_login(traveller)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_with_voucher(client, accepted_stay, code, stripe_server)
    late = timezone.now() + timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        refund = bookings.cancel(booking=accepted_stay, by=traveller, now=late)
    assert refund == Decimal("50.00")
    voucher.refresh_from_db()
    accepted_stay.refresh_from_db()
    assert voucher.balance_cents == 15000
    assert accepted_stay.voucher_amount == Decimal("200.00")  # what vouchers still pay: kept by the owner


def test_an_expired_code_is_refused_and_only_its_owner_is_told_why(client, traveller, accepted_stay, give_voucher):
    voucher, code = give_voucher(10000, now=timezone.now() - timedelta(days=400))
    client.force_login(traveller)  # lucie@example.fr: the recipient
    assert "a expiré" in " ".join(messages_of(use_code(client, accepted_stay, code)))
    other, other_code = give_voucher(10000, email="quelquun@example.fr", now=timezone.now() - timedelta(days=400))
    said = " ".join(messages_of(use_code(client, accepted_stay, other_code)))
    assert said == str(checkout.GENERIC)
    accepted_stay.refresh_from_db()
    assert accepted_stay.voucher_amount == 0


@pytest.mark.parametrize("typed", ["", "ABCD", "AAAA-BBBB-CCCC-DDDD", "0O1I-L000-0000-0000", "AH-BMHW9N",
                                   "x" * 5000, "' OR 1=1 --", "ÀÉÎÕ-ÀÉÎÕ-ÀÉÎÕ-ÀÉÎÕ"])
def test_unknown_and_mistyped_codes_get_one_generic_message(client, traveller, accepted_stay, give_voucher, typed):
    give_voucher(10000)
    client.force_login(traveller)
    response = use_code(client, accepted_stay, typed)
    assert response.status_code == 200
    assert messages_of(response) == [str(checkout.GENERIC)]


def test_a_spent_or_cancelled_code_of_someone_else_says_the_same_as_an_unknown_one(
        client, traveller, accepted_stay, instant_stay, give_voucher, staff):
    from vouchers import sales

    spent, spent_code = give_voucher(100, email="autre@example.fr")
    checkout.apply_code(booking=instant_stay, typed=spent_code, user=traveller, now=timezone.now())
    cancelled, cancelled_code = give_voucher(5000, email="autre@example.fr")
    sales.cancel_voucher(voucher=cancelled, actor=staff, now=timezone.now())
    client.force_login(traveller)
    for code in (spent_code, cancelled_code):
        assert messages_of(use_code(client, accepted_stay, code)) == [str(checkout.GENERIC)]


def test_guessing_codes_is_rate_limited_per_session_and_address_and_logged(client, traveller, accepted_stay,
                                                                           give_voucher, settings, caplog):
    settings.VOUCHER_CODE_ATTEMPTS_PER_HOUR = 5
    voucher, code = give_voucher(10000)
    client.force_login(traveller)
    with caplog.at_level(logging.WARNING, logger="vouchers.views"):
        for n in range(5):
            use_code(client, accepted_stay, f"AAAA-BBBB-CCCC-DDD{n + 2}")
        blocked = use_code(client, accepted_stay, code)  # even the right code, once over the limit
    assert "Trop d'essais" in " ".join(messages_of(blocked))
    accepted_stay.refresh_from_db()
    assert accepted_stay.voucher_amount == 0
    assert sum("voucher code refused" in r.message for r in caplog.records) == 5
    assert any("over the limit" in r.message for r in caplog.records)
    # Another session from the same address is limited too (per address).
    from django.test import Client

    other = Client()
    other.force_login(traveller)
    assert "Trop d'essais" in " ".join(messages_of(use_code(other, accepted_stay, code)))
    # Another address with a fresh session may try.
    third = Client(REMOTE_ADDR="192.0.2.77")
    third.force_login(traveller)
    assert "Bon cadeau appliqué" in " ".join(messages_of(use_code(third, accepted_stay, code)))


def test_someone_elses_booking_is_a_404(client, accepted_stay, give_voucher, other_owner):
    voucher, code = give_voucher(10000)
    client.force_login(other_owner)
    assert client.post(reverse("voucher_apply", args=[accepted_stay.reference]), {"code": code}).status_code == 404
    assert client.post(reverse("payment_without_card", args=[accepted_stay.reference])).status_code == 404


def test_no_card_confirmation_is_refused_while_a_card_part_is_due(client, traveller, accepted_stay, give_voucher):
    voucher, code = give_voucher(10000)
    client.force_login(traveller)
    use_code(client, accepted_stay, code)
    response = client.post(reverse("payment_without_card", args=[accepted_stay.reference]), follow=True)
    assert "Il reste un montant à payer" in " ".join(messages_of(response))
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT


def test_travellers_see_their_vouchers_and_balances(client, traveller, give_voucher):
    voucher, code = give_voucher(12345)
    give_voucher(5000, email="autre@example.fr")
    client.force_login(traveller)
    assert reverse("my_vouchers") in client.get(reverse("trips")).content.decode()
    html = client.get(reverse("my_vouchers")).content.decode()
    assert voucher.masked_code in html and "123,45" in html and code not in html
    assert "50,00" not in html


def test_a_card_paying_the_whole_price_from_an_old_page_gives_the_voucher_its_part_back(
        client, traveller, accepted_stay, give_voucher, stripe_server, django_capture_on_commit_callbacks):
    """The payment page was opened (400 € by card), then the code applied in another tab (the
    card's part is 300 € now), and the old page paid 400 € anyway: the voucher gets 100 € back."""
    voucher, code = give_voucher(10000)
    client.force_login(traveller)
    old = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    old_intent = old.context["payment"].stripe_payment_intent_id
    use_code(client, accepted_stay, code)  # (its on-commit cancel of the old PaymentIntent is lost here)
    stripe_server.pay(old_intent, old.context["client_secret"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("payment_return", args=[accepted_stay.reference]), {"payment_intent": old_intent})
    accepted_stay.refresh_from_db()
    voucher.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert (accepted_stay.amount_paid, accepted_stay.voucher_amount) == (Decimal("400.00"), Decimal("0.00"))
    assert voucher.balance_cents == 10000
