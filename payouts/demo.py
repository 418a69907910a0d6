"""Demo card payments and refunds (idempotent), after the bookings' seeder: two stays paid by
card, one cancelled by the traveller and refunded in full, one refunded in part by the team (a
goodwill gesture made in Stripe's dashboard), so the owner's Réservations and Paiements and the
traveller's trip show refunds.

The demo runs without Stripe, so each Stripe answer is replaced by what our code records when
it arrives, through the same functions: the payment as the `payment_intent.succeeded` webhook
records it (`services.payment_succeeded`), the refunds as `attempt_refund` and `sync_refunds`
record Stripe's reply (`refunds.complete_refund`). Payments, refunds, bookings and the ledger
therefore agree as in production; the Stripe ids start with `pi_demo_` / `re_demo_`."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from bookings import services as bookings
from bookings.models import Booking, BookingStatus
from core.dates import today_in_paris
from core.money import to_cents
from domains.models import OfferStatus
from lodgings.models import Unit

from . import refunds, services
from .models import Payment, PaymentStatus, RefundReason

DEMO_TRAVELLERS = ["lucie@demo.almaheritage.fr", "james@demo.almaheritage.fr"]
DEMO_INTENT_PREFIX = "pi_demo_"
GESTURE = Decimal("50.00")  # the partial refund: one evening without hot water


def paid_by_card(booking: Booking, *, now: datetime) -> Payment:
    """The booking's card payment, recorded as the payment page opens it and the webhook
    confirms it."""
    amount_cents = to_cents(services.amount_due(booking))
    intent_id = f"{DEMO_INTENT_PREFIX}{booking.reference}"
    payment = Payment.objects.create(booking=booking, amount_cents=amount_cents, stripe_payment_intent_id=intent_id,
                                     status=PaymentStatus.REQUIRES_PAYMENT)
    services.payment_succeeded(intent_id=intent_id, amount_cents=amount_cents,
                               charge_id=f"ch_demo_{booking.reference}", now=now)
    payment.refresh_from_db()
    return payment


def refunded_by_stripe(refund_id: int, *, now: datetime) -> None:
    """Stripe's answer to a refund we asked for (or one it reports), recorded."""
    refunds.complete_refund(refund_id=refund_id, stripe_refund_id=f"re_demo_{refund_id}", now=now)


def _paid_stay(traveller: User, units: list[Unit], *, after_days: int, now: datetime) -> Booking | None:
    """A stay on the first unit and dates the rules accept, accepted if asked, paid by card."""
    today = today_in_paris(now)
    for unit in units:
        nights = max(unit.lodging.min_nights, 2)
        for offset in range(after_days, after_days + 30):
            arrival = today + timedelta(days=offset)
            try:
                booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                                departure=arrival + timedelta(days=nights), adults=2, children=0,
                                                message="Bonjour, nous venons pour un anniversaire.", now=now)
            except bookings.BookingError:
                continue
            if booking.status == BookingStatus.REQUESTED:
                bookings.accept(booking=booking, by=booking.owner, now=now)
                booking.refresh_from_db()
            paid_by_card(booking, now=now)
            booking.refresh_from_db()
            return booking
    return None


def seed(*, stdout) -> None:
    travellers = list(User.objects.filter(email__in=DEMO_TRAVELLERS).order_by("email"))
    if len(travellers) < 2 or Payment.objects.filter(stripe_payment_intent_id__startswith=DEMO_INTENT_PREFIX).exists():
        stdout.write("payouts: nothing to add")
        return
    james, lucie = travellers
    now = timezone.now()
    units = list(Unit.objects.filter(is_active=True, lodging__status=OfferStatus.PUBLISHED,
                                     lodging__domain__status=OfferStatus.PUBLISHED)
                 .select_related("lodging__domain__owner").order_by("pk")[:6])
    made = 0
    # Lucie cancels two months ahead: the policy refunds everything, from her card payment.
    cancelled = _paid_stay(lucie, units, after_days=60, now=now)
    if cancelled is not None:
        owed = bookings.cancel(booking=cancelled, by=lucie, now=now)
        # What refund_booking does on commit, with Stripe's answer recorded; on commit it then
        # finds these rows done and calls Stripe for nothing.
        for row in refunds.cancellation_refunds(booking=cancelled, amount=owed):
            refunded_by_stripe(row.pk, now=now)
        made += 1
    # James keeps his stay; the team refunds part of it in Stripe's dashboard (charge.refunded).
    gesture = _paid_stay(james, units[1:] + units[:1], after_days=75, now=now)
    if gesture is not None:
        payment = Payment.objects.get(booking=gesture)
        row = refunds.request_refund(payment=payment, amount_cents=to_cents(GESTURE),
                                     reason=RefundReason.STRIPE_DASHBOARD,
                                     request_key=f"stripe:re_demo_geste_{gesture.reference}")
        refunded_by_stripe(row.pk, now=now)
        made += 1
    stdout.write(f"payouts: {made} demo booking(s) paid by card and refunded")
