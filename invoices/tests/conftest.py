"""Bookings paid and ended through the real services and ledger (payouts.ledger), on a clock
the test chooses: a stay is requested a month before it starts, paid, and the month's run
(`month_of`) comes after it ended. The Stripe payment is a succeeded `Payment` row, posted to
the ledger as the payment webhook would; tests that need Stripe itself use `stripe_server`."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from accounts.models import BillingAddress
from bookings import services as bookings
from bookings.models import Booking
from core.dates import paris_midnight
from core.money import from_cents, to_cents
from domains.models import Domain
from lodgings.models import Lodging, Unit
from payouts import ledger
from payouts.models import ConnectedAccount, Payment, PaymentStatus, Payout, Refund, RefundReason, RefundStatus
from payouts.monthly import mark_sent, paid_on, write_payout
from payouts.tests import conftest as payouts_fixtures

# The payments tests' fixtures: an owner's published gîte and experience, the local Stripe server.
session = payouts_fixtures.session  # the offers (domain, unit) are the root conftest.py's


def at(day: date, hour: int = 12) -> datetime:
    return paris_midnight(day) + timedelta(hours=hour)


def paid_stay(*, unit, traveller, arrival: date, nights: int = 3) -> Booking:
    """3 nights × 120 € + 40 € cleaning = 400 € by default, paid a month ahead."""
    booked_at = at(arrival - timedelta(days=30))
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=nights), adults=2, children=0, now=booked_at)
    bookings.accept(booking=booking, by=booking.owner, now=booked_at)
    booking.refresh_from_db()
    payment = Payment.objects.create(booking=booking, stripe_payment_intent_id=f"pi_{booking.reference}",
                                     amount_cents=to_cents(booking.total_price), status=PaymentStatus.SUCCEEDED,
                                     succeeded_at=booked_at)
    assert bookings.confirm_payment(booking=booking, amount_paid=booking.total_price, now=booked_at)
    ledger.post_payment(payment=payment, now=booked_at)
    booking.refresh_from_db()
    return booking


def month_of(booking: Booking) -> date:
    """The 1st the booking is paid on (and invoiced)."""
    return paid_on(booking.service_end)


def ready_account(owner, account_id: str = "acct_ready") -> ConnectedAccount:
    return ConnectedAccount.objects.create(owner=owner, stripe_account_id=account_id, details_submitted=True,
                                           transfers_capability="active", payouts_enabled=True)


def pay_month(owner, month: date, *, transfer_id: str = "tr_test_1") -> Payout:
    """The month's payout written by payouts.monthly, and sent (Stripe's answer stubbed by
    `mark_sent`, the function the real run calls with Stripe's transfer id)."""
    now = at(month, 6)
    ledger.end_bookings(before=paris_midnight(month), now=now)
    payout = write_payout(owner_id=owner.pk, month=month, now=now)
    if payout.status == "pending":
        payout = mark_sent(payout_id=payout.pk, transfer_id=transfer_id, now=now)
    return payout


def billing_address(owner, **extra) -> BillingAddress:
    fields = {"name": "SCI du Moulin", "line1": "2 chemin du Bief", "postal_code": "37400", "city": "Amboise",
              "vat_number": "FR40123456824", **extra}
    return BillingAddress.objects.create(user=owner, **fields)




def refund(booking: Booking, cents: int, *, now: datetime) -> None:
    """A refund Stripe completed, recorded and posted to the ledger as payouts.refunds does."""
    payment = Payment.objects.get(booking=booking)
    done = Refund.objects.create(payment=payment, amount_cents=cents, reason=RefundReason.STRIPE_DASHBOARD,
                                 status=RefundStatus.SUCCEEDED, request_key=f"test:{booking.reference}:{cents}",
                                 stripe_refund_id=f"re_{booking.reference}_{cents}")
    bookings.record_refund(booking=booking, amount=from_cents(cents), now=now)
    ledger.post_refund(refund=done, now=now)


def unit_of(owner, domain, *, slug: str = "prieure") -> Unit:
    """A gîte like `unit` (120 € a night, 40 € cleaning) in a domain of `owner`."""
    other = Domain.objects.create(owner=owner, name=f"Prieuré {slug}", slug=slug, heritage_kind="prieure",
                                  commune="Tours", status=domain.status)
    lodging = Lodging.objects.create(domain=other, kind="gite", title="Le Prieuré", slug=slug,
                                     status=domain.status, cleaning_fee=Decimal("40.00"), min_nights=2, max_nights=14,
                                     advance_notice_days=1, booking_mode="request", full_refund_days=14,
                                     late_refund_percent=50)
    return Unit.objects.create(lodging=lodging, name="Le Prieuré", nightly_price=Decimal("120.00"),
                               adults_capacity=4, children_capacity=2)
