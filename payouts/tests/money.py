"""Bookings with money on them, made through the real services (booking, payment, refund);
only the Stripe side of a card payment is skipped: `payment_succeeded` is what the webhook
calls once Stripe says the PaymentIntent succeeded."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from bookings import services as bookings
from bookings.models import Booking
from core.dates import PARIS
from core.money import to_cents
from experiences.models import Session
from lodgings.models import Unit
from payouts import connect, refunds, services
from payouts.models import ConnectedAccount, Payment, PaymentStatus, RefundReason

BOOKED_AT = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def another_unit(unit: Unit, name: str, *, nightly: str = "120.00") -> Unit:
    return Unit.objects.create(lodging=unit.lodging, name=name, nightly_price=Decimal(nightly),
                               adults_capacity=4, children_capacity=2)


def paid_stay(unit: Unit, traveller, arrival: date, departure: date, *, now: datetime = BOOKED_AT) -> Booking:
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival, departure=departure,
                                    adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=unit.lodging.domain.owner, now=now)
    return pay(booking, now=now)


def session_between(template: Session, start: datetime, end: datetime) -> Session:
    return Session.objects.create(experience=template.experience, start=start, end=end, capacity=10)


def paid_session(session: Session, traveller, *, adults: int = 2, now: datetime = BOOKED_AT) -> Booking:
    booking = bookings.book_session(traveller=traveller, session=session, adults=adults, children=0, now=now)
    return pay(booking, now=now)


def pay(booking: Booking, *, now: datetime) -> Booking:
    booking.refresh_from_db()
    due = to_cents(services.amount_due(booking))
    intent = f"pi_{booking.reference}"
    Payment.objects.create(booking=booking, amount_cents=due, stripe_payment_intent_id=intent,
                           status=PaymentStatus.REQUIRES_PAYMENT)
    services.payment_succeeded(intent_id=intent, amount_cents=due, charge_id=f"ch_{booking.reference}", now=now)
    booking.refresh_from_db()
    return booking


def refund(booking: Booking, cents: int, *, now: datetime, key: str = "") -> None:
    """A refund Stripe completed (what attempt_refund does after Stripe said yes)."""
    payment = booking.payments.get(status=PaymentStatus.SUCCEEDED, is_duplicate=False)
    row = refunds.request_refund(payment=payment, amount_cents=cents, reason=RefundReason.CANCELLATION,
                                 request_key=key or f"test:{booking.pk}:{payment.refunds.count()}")
    refunds.complete_refund(refund_id=row.pk, stripe_refund_id=f"re_{row.pk}_{booking.reference}", now=now)


def onboarded(owner, stripe_server) -> ConnectedAccount:
    """The owner's connected account at the local Stripe server, onboarding completed."""
    account = connect.open_account(owner=owner)
    stripe_server.complete_onboarding(account.stripe_account_id)
    return connect.refresh(account=account)


def ready_without_stripe(owner, account_id: str = "acct_test") -> ConnectedAccount:
    return ConnectedAccount.objects.create(owner=owner, stripe_account_id=account_id, details_submitted=True,
                                           transfers_capability="active", payouts_enabled=True)
