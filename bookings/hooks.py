"""The two calls bookings makes into apps above it, which it may not import (dependencies
point one way: calsync and payouts → bookings). Each app registers its function in its
`AppConfig.ready()`; bookings calls it by name at one place, so a reader following
`services.accept` sees the call and a test can count it. No signal decides whether a
booking may go on (bookings/signals.py keeps the pure notifications).

Re-check of a unit's calendars before a commitment (calsync registers it):
    `precheck_unit_before_commitment(unit=, now=)` runs every registered check once, outside
    any transaction, just before one of these commitments:
    - the owner accepts a request (`services.accept`): the traveller is then asked to pay;
    - the traveller starts paying an accepted request (`services.assert_payable`, from the
      payment page, on an awaiting-payment booking);
    - an instant stay's checkout is created (`services.request_stay` in instant mode): its
      payment starts there, so its payment page does not check again.
    Never after money moved: `confirm_payment` does not call it. A block found then would mean
    refunding a charge that succeeded; a block written while the card was being charged is
    alerted as a double booking instead (calsync listens to `booking_confirmed`).
    A plain request (request mode) does not call it either: asking commits nobody, and the
    owner's acceptance checks.
    A check must end within its own short bound (calsync: `CALSYNC_PRECHECK_TIMEOUT`, 3 s,
    calsync/precheck.py) and stores what it finds as blocks; the availability check that
    follows decides. If it fails it fails open: the error is logged and the commitment is
    judged on the blocks already stored (a failed fetch keeps the last good blocks, as every
    sync does).

Refund of money a cancellation owes (payouts registers it):
    `refund_owed(booking=, amount=, now=)` is called on commit of `services.cancel`; the taker
    refunds through Stripe and then calls `services.record_refund`.

Gift vouchers (vouchers registers them, docs/vouchers.md). Both run inside the transition's
transaction, the booking row locked, so the voucher balance moves with the booking or not at all:
    `release_voucher_hold(booking=, now=)`: an unpaid booking holding voucher money
    (`voucher_amount` > 0) is dead (hold lapsed, refused, cancelled, replaced, paid too late):
    the reserved balance goes back to its vouchers.
    `restore_voucher_part(booking=, amount=, now=)`: a paid booking is cancelled and the
    cancellation policy gives back `amount` of what vouchers paid (the card part is refunded
    first, by `refund_owed`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from lodgings.models import Unit

from .models import Booking

log = logging.getLogger(__name__)

UnitPrecheck = Callable[..., None]  # check(*, unit: Unit, now: datetime) -> None
RefundTaker = Callable[..., object]  # take(*, booking: Booking, amount: Decimal, now: datetime)

_unit_prechecks: list[UnitPrecheck] = []
_refund_takers: list[RefundTaker] = []
_voucher_keepers: list[object] = []  # one object with release_voucher_hold / restore_voucher_part


def register_unit_precheck(check: UnitPrecheck) -> UnitPrecheck:
    if check not in _unit_prechecks:
        _unit_prechecks.append(check)
    return check


def unregister_unit_precheck(check: UnitPrecheck) -> None:
    if check in _unit_prechecks:
        _unit_prechecks.remove(check)


def precheck_unit_before_commitment(*, unit: Unit, now: datetime) -> None:
    for check in list(_unit_prechecks):
        try:
            check(unit=unit, now=now)
        except Exception:  # fail open: the availability check still sees the last good blocks
            log.exception("calendar re-check %s failed for unit %s", getattr(check, "__qualname__", check), unit.pk)


def register_refund_taker(take: RefundTaker) -> RefundTaker:
    """One app takes refunds (payouts); registering the same function again changes nothing."""
    if take not in _refund_takers:
        if _refund_takers:
            raise RuntimeError(f"refunds are already taken by {_refund_takers[0]!r}")
        _refund_takers.append(take)
    return take


def refund_owed(*, booking: Booking, amount: Decimal, now: datetime) -> None:
    if not _refund_takers:  # money owed and nobody to pay it back: staff must see it
        log.error("booking %s owes a refund of %s but no app takes refunds", booking.reference, amount)
        return
    _refund_takers[0](booking=booking, amount=amount, now=now)


def register_voucher_keeper(keeper) -> None:
    """One app keeps gift-voucher balances (vouchers): `keeper.release_voucher_hold(booking=, now=)`
    and `keeper.restore_voucher_part(booking=, amount=, now=)`."""
    if keeper not in _voucher_keepers:
        if _voucher_keepers:
            raise RuntimeError(f"voucher balances are already kept by {_voucher_keepers[0]!r}")
        _voucher_keepers.append(keeper)


def release_voucher_hold(*, booking: Booking, now: datetime) -> None:
    if booking.voucher_amount > 0 and booking.paid_at is None:
        if not _voucher_keepers:
            log.error("booking %s holds %s of vouchers but no app keeps them", booking.reference,
                      booking.voucher_amount)
            return
        _voucher_keepers[0].release_voucher_hold(booking=booking, now=now)


def restore_voucher_part(*, booking: Booking, amount: Decimal, now: datetime) -> None:
    if amount <= 0:
        return
    if not _voucher_keepers:
        log.error("booking %s owes %s back to vouchers but no app keeps them", booking.reference, amount)
        return
    _voucher_keepers[0].restore_voucher_part(booking=booking, amount=amount, now=now)
