"""Gift vouchers at a booking's checkout (docs/vouchers.md).

`apply_code` takes from the voucher's balance what the card would otherwise pay (payouts.
services.amount_due, the one place that says it), holds it for the booking (a
`VoucherRedemption`) and records it on the booking (`voucher_amount`). Locks: the booking
first, then the voucher (docs/locks.md), so two tabs spending one code serialise on the
voucher row, and the CHECK constraint `voucher_balance_not_negative` backs it up.

Bookings call back (bookings/hooks.py, registered in VouchersConfig.ready), inside their
own transaction: `release_voucher_hold` when an unpaid booking dies (its hold lapsed…),
`restore_voucher_part` when a paid one is cancelled. `booking_paid` (the booking_confirmed
signal) marks the held money as used."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bookings import services as bookings
from bookings.locks import lock_booking
from bookings.models import Booking
from core.money import format_eur, from_cents, to_cents
from payouts.models import PaymentStatus
from payouts.services import amount_due
from touristtax import services as tourist_tax

from . import codes
from .models import EventKind, RedemptionStatus, Voucher, VoucherRedemption, VoucherStatus
from .sales import event

log = logging.getLogger(__name__)

# One message for every code that cannot be used and is not the person's own: it never says
# whether a code exists (docs/vouchers.md#guessing-codes).
GENERIC = _("Ce code n'est pas valable. Vérifiez qu'il est recopié exactement tel qu'il figure sur le bon.")


class VoucherError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _owned_by(voucher: Voucher, user) -> bool:
    email = (getattr(user, "email", "") or "").lower()
    if not email:
        return False
    buyer = voucher.order.buyer_email.lower() if voucher.order_id else ""
    return email in (voucher.recipient_email.lower(), buyer)


def find_usable(*, typed: str, user, now: datetime) -> Voucher:
    """The voucher this code names, if it can pay now. VoucherError otherwise: the generic
    message, except for the person's own expired or spent voucher."""
    digest = codes.hash_of_typed(typed)
    voucher = Voucher.objects.select_related("order").filter(code_hash=digest).first() if digest else None
    if voucher is None or voucher.status != VoucherStatus.ACTIVE:
        raise VoucherError(GENERIC)
    if voucher.expires_at is not None and voucher.expires_at <= now:
        raise VoucherError(_("Ce bon cadeau a expiré le %(date)s.") % {"date": voucher.expires_at.date()}
                           if _owned_by(voucher, user) else GENERIC)
    if voucher.balance_cents <= 0:
        raise VoucherError(_("Ce bon cadeau a déjà été entièrement utilisé.") if _owned_by(voucher, user)
                           else GENERIC)
    return voucher


def apply_code(*, booking: Booking, typed: str, user, now: datetime) -> VoucherRedemption:
    """Pay part or all of the booking with the voucher this code names. Raises VoucherError
    (the code, the amount) or BookingError (the booking cannot be paid now)."""
    voucher = find_usable(typed=typed, user=user, now=now)
    bookings.assert_payable(booking=booking, now=now)
    with transaction.atomic():
        lock_booking(booking.pk)
        booking.refresh_from_db()
        if booking.status not in bookings.PAYABLE_STATUSES or booking.deadline is None or booking.deadline <= now:
            raise VoucherError(_("Cette réservation n'attend plus de paiement."))
        if booking.payments.filter(status__in=(PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED)).exists():
            raise VoucherError(_("Un paiement par carte est déjà en cours pour cette réservation."))
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.status != VoucherStatus.ACTIVE or voucher.balance_cents <= 0 or (
                voucher.expires_at is not None and voucher.expires_at <= now):
            raise VoucherError(GENERIC)  # spent or cancelled meanwhile (another tab)
        if voucher.redemptions.filter(booking=booking).exclude(status=RedemptionStatus.RELEASED).exists():
            raise VoucherError(_("Ce bon cadeau est déjà appliqué à cette réservation."))
        # The taxe de séjour is paid by card (docs/tourist-tax.md): a voucher pays the price only.
        due = to_cents(amount_due(booking) - tourist_tax.collected_amount(booking))
        if due <= 0:
            raise VoucherError(_("Il n'y a plus rien à payer pour cette réservation."))
        take = min(voucher.balance_cents, due)
        Voucher.objects.filter(pk=voucher.pk).update(balance_cents=F("balance_cents") - take)
        redemption = VoucherRedemption.objects.create(voucher=voucher, booking=booking, amount_cents=take,
                                                      created_at=now)
        bookings.record_voucher(booking=booking, amount=from_cents(take), now=now,
                                reason=_("Bon cadeau %(code)s : %(amount)s") % {
                                    "code": voucher.code_last4, "amount": format_eur(from_cents(take))})
        event(voucher, EventKind.RESERVED, amount=-take, booking=booking, now=now, actor=user)
    log.info("voucher …%s: %s cents held for %s", voucher.code_last4, take, booking.reference)
    return redemption


def remove_codes(*, booking: Booking, now: datetime) -> int:
    """The traveller takes the vouchers off an unpaid booking: their balance comes back."""
    with transaction.atomic():
        lock_booking(booking.pk)
        booking.refresh_from_db()
        if booking.paid_at is not None:
            raise VoucherError(_("Cette réservation est déjà payée."))
        if booking.payments.filter(status=PaymentStatus.PROCESSING).exists():
            raise VoucherError(_("Un paiement par carte est déjà en cours pour cette réservation."))
        return _release(booking, now, note=str(_("retiré par le voyageur")))


# --- Called by bookings (bookings/hooks.py), inside its transaction, the booking locked -------------

def release_voucher_hold(*, booking: Booking, now: datetime) -> int:
    return _release(booking, now, note=str(_("réservation non payée à temps ou annulée")))


def _release(booking: Booking, now: datetime, *, note: str) -> int:
    held = list(VoucherRedemption.objects.select_for_update().filter(booking=booking, status=RedemptionStatus.HELD)
                .order_by("voucher_id"))
    total = 0
    for redemption in held:
        Voucher.objects.filter(pk=redemption.voucher_id).update(balance_cents=F("balance_cents") + redemption.amount_cents)
        VoucherRedemption.objects.filter(pk=redemption.pk).update(status=RedemptionStatus.RELEASED)
        event(redemption.voucher, EventKind.RELEASED, amount=redemption.amount_cents, booking=booking, now=now,
              note=note)
        total += redemption.amount_cents
    if total:
        bookings.record_voucher(booking=booking, amount=-from_cents(min(total, to_cents(booking.voucher_amount))),
                                now=now, reason=_("Bon cadeau libéré : %(amount)s") % {
                                    "amount": format_eur(from_cents(total))})
    return total


def restore_voucher_part(*, booking: Booking, amount: Decimal, now: datetime, extend: bool = True) -> int:
    """Give `amount` of what vouchers paid back to them (the newest use first). A voucher
    that would lapse within VOUCHER_RESTORE_MIN_DAYS is extended to that many days from now."""
    wanted = min(to_cents(amount), to_cents(booking.voucher_amount))
    uses = list(VoucherRedemption.objects.select_for_update()
                .filter(booking=booking, status__in=(RedemptionStatus.HELD, RedemptionStatus.USED))
                .select_related("voucher").order_by("-created_at", "-pk"))
    given = 0
    for use in uses:
        share = min(wanted - given, use.amount_cents - use.restored_cents)
        if share <= 0:
            continue
        voucher = Voucher.objects.select_for_update().get(pk=use.voucher_id)
        Voucher.objects.filter(pk=voucher.pk).update(balance_cents=F("balance_cents") + share)
        VoucherRedemption.objects.filter(pk=use.pk).update(restored_cents=F("restored_cents") + share)
        event(voucher, EventKind.RESTORED, amount=share, booking=booking, now=now,
              note=str(_("annulation de %(ref)s")) % {"ref": booking.reference})
        floor = now + timedelta(days=settings.VOUCHER_RESTORE_MIN_DAYS)
        if extend and voucher.expires_at is not None and voucher.expires_at < floor:
            Voucher.objects.filter(pk=voucher.pk).update(expires_at=floor)
            event(voucher, EventKind.EXTENDED, booking=booking, now=now,
                  note=str(_("valable jusqu'au %(date)s")) % {"date": floor.date()})
        given += share
    if given:
        bookings.record_voucher(booking=booking, amount=-from_cents(given), now=now,
                                reason=_("Recrédité sur bon cadeau : %(amount)s") % {
                                    "amount": format_eur(from_cents(given))})
    if given < wanted:
        log.error("booking %s: %s cents of voucher money had no use to go back to", booking.reference,
                  wanted - given)
    return given


def booking_paid(sender=None, *, booking: Booking, **kwargs) -> None:
    """booking_confirmed (on commit): what the vouchers held is used. If a card paid the whole
    price anyway (an old payment page), the vouchers get their part back."""
    now = booking.paid_at
    with transaction.atomic():
        lock_booking(booking.pk)
        booking.refresh_from_db()
        surplus = to_cents(booking.amount_paid + booking.voucher_amount - booking.total_price)
        if surplus > 0 and booking.voucher_amount > 0:
            log.warning("booking %s: paid %s cents beyond its price; back to its vouchers", booking.reference, surplus)
            restore_voucher_part(booking=booking, amount=from_cents(surplus), now=now, extend=False)
        for use in VoucherRedemption.objects.filter(booking=booking, status=RedemptionStatus.HELD).select_related(
                "voucher"):
            VoucherRedemption.objects.filter(pk=use.pk).update(status=RedemptionStatus.USED)
            event(use.voucher, EventKind.USED, booking=booking, now=now, note=booking.reference)


# --- The panel on the booking payment page (payouts/hooks.py) ------------------------------------------

def checkout_panel(request, booking: Booking) -> str:
    if booking.status not in bookings.PAYABLE_STATUSES:
        return ""
    uses = list(VoucherRedemption.objects.filter(booking=booking, status=RedemptionStatus.HELD)
                .select_related("voucher"))
    return render_to_string("vouchers/checkout_panel.html", {
        "booking": booking, "uses": uses,
        "apply_url": reverse("voucher_apply", args=[booking.reference]),
        "remove_url": reverse("voucher_remove", args=[booking.reference]),
    }, request=request)
