"""The booking state machine (docs/architecture.md#the-booking-state-machine). Views, admin, tasks and the payments
app call these functions; nothing else changes a booking's status.

Every transition: guard → lock the row (select_for_update) → change → save(update_fields)
→ a BookingEvent → emails, notifications (signals.py) and hooks (hooks.py) in
`transaction.on_commit`. Locks: docs/locks.md.

    requested ──accept──▶ awaiting_payment ──confirm_payment──▶ confirmed ──cancel──▶ cancelled
        │ refuse / 3 days        │ 48 h                              ▲
        ▼                        ▼                                   │
     refused / expired        expired          checkout (instant) ───┘  (30 min, else expired)

Deadlines are columns; `expire_overdue` sweeps them every minute, and every action checks
them again against `now` so a late answer or payment is refused even before the sweep."""
import logging
import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import today_in_paris
from core.money import round_money
from domains.models import BookingMode, OfferStatus
from domains.signals import content_changed
from experiences.models import Session
from lodgings.models import Unit
from touristtax import services as tourist_tax

from . import emails, hooks, occupancy, rules
from .availability import unit_is_free
from .history import reason_text
from .locks import lock_booking
from .models import Booking, BookingEvent, BookingKind, BookingStatus, CancelledBy
from .pricing import commission_split, session_price, stay_price, stay_tax
from .signals import booking_confirmed

log = logging.getLogger(__name__)
UNPAID_STATUSES = (BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT)
PAYABLE_STATUSES = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT)
NO_PLACES_LEFT = _("Il ne reste plus assez de places pour cette séance.")
# No 0/O, 1/I/L: a reference read over the phone is never ambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class BookingError(Exception):
    """An expected refusal, with a message for the person who asked (translatable)."""

    default_message = _("Cette action n'est pas possible sur cette réservation.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class DatesUnavailable(BookingError):
    default_message = _("Ces dates ne sont plus disponibles.")


def utc(now: datetime) -> datetime:
    """Deadlines are computed in UTC: adding hours to a Paris time would add wall-clock
    hours, one too many or too few across a daylight-saving change."""
    return now.astimezone(UTC)


def new_reference() -> str:
    while True:
        reference = "AH-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(6))
        if not Booking.objects.filter(reference=reference).exists():
            return reference


# --- Checks before booking (also used by the booking page to preview a price) ----------

def _owner_active(owner: User) -> bool:
    """A deleted (or deactivated) owner's offers take no booking, even if one is still
    published (accounts.services.delete_account takes them offline too)."""
    return owner.is_active and owner.deleted_at is None


def check_stay(*, traveller: User | None, unit: Unit, arrival: date, departure: date, adults: int,
               children: int, now: datetime) -> None:
    """Raise BookingError unless this stay may be asked for (availability aside): the offer
    is bookable, not the traveller's own, and the stay rules (bookings.rules) accept it."""
    lodging = unit.lodging
    if not (unit.is_active and lodging.status == OfferStatus.PUBLISHED
            and lodging.domain.status == OfferStatus.PUBLISHED and _owner_active(lodging.domain.owner)):
        raise BookingError(_("Cet hébergement n'est pas proposé à la réservation."))
    if traveller is not None and traveller.pk == lodging.domain.owner_id:
        raise BookingError(_("Vous ne pouvez pas réserver votre propre hébergement."))
    problem = rules.stay_problem(unit=unit, arrival=arrival, departure=departure, adults=adults,
                                 children=children, today=today_in_paris(now))
    if problem:
        raise BookingError(problem)


def check_session(*, traveller: User | None, session: Session, adults: int, children: int, now: datetime) -> None:
    experience = session.experience
    if not (session.is_active and experience.status == OfferStatus.PUBLISHED
            and experience.domain.status == OfferStatus.PUBLISHED and _owner_active(experience.domain.owner)):
        raise BookingError(_("Cette expérience n'est pas proposée à la réservation."))
    if traveller is not None and traveller.pk == experience.domain.owner_id:
        raise BookingError(_("Vous ne pouvez pas réserver votre propre expérience."))
    if session.start <= now:
        raise BookingError(_("Cette séance a déjà commencé."))
    if experience.booking_mode == BookingMode.REQUEST and session.start - SESSION_REQUESTS_CLOSE_BEFORE <= now:
        raise BookingError(_("Les demandes pour cette séance sont closes : le propriétaire n'aurait plus le temps "
                             "de répondre avant le début."))
    # Places held by lapsed holds, or by this traveller's own unpaid checkout, come back at
    # booking time (expire_stale, release_own_checkout): count them free.
    reclaimable = overdue_q(now)
    if traveller is not None:
        reclaimable |= Q(traveller=traveller, status=BookingStatus.CHECKOUT)
    held = Booking.objects.filter(reclaimable, session=session).aggregate(
        n=Sum(F("adults") + F("children")))["n"] or 0
    if problem := rules.party_problem(adults=adults, children=children):
        raise BookingError(problem)
    if adults + children > session.places_left + held:
        raise BookingError(NO_PLACES_LEFT)
    # "Participants minimum" is the smallest group the owner takes in one booking.
    if adults + children < experience.min_participants:
        raise BookingError(_("Cette expérience se réserve pour %(count)s participants au moins.")
                           % {"count": experience.min_participants})


# --- Creating a booking -----------------------------------------------------------------

# A request for a session must be answered before it starts (and leave time to pay).
SESSION_REQUESTS_CLOSE_BEFORE = timedelta(hours=2)


def _initial_state(mode: str, now: datetime, *, answer_before: datetime | None = None) -> dict:
    if mode == BookingMode.INSTANT:
        return {"status": BookingStatus.CHECKOUT,
                "hold_until": utc(now) + timedelta(minutes=settings.BOOKING_CHECKOUT_HOLD_MINUTES)}
    respond_by = utc(now) + timedelta(days=settings.BOOKING_RESPONSE_DAYS)
    return {"status": BookingStatus.REQUESTED,
            "respond_by": min(respond_by, utc(answer_before)) if answer_before else respond_by}


def _is_overlap_violation(exc: IntegrityError) -> bool:
    """PostgreSQL's exclusion constraint (bookings/migrations/0003): SQLSTATE 23P01."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or getattr(cause, "pgcode", None) == "23P01"


def request_stay(*, traveller: User, unit: Unit, arrival: date, departure: date, adults: int, children: int,
                 message: str = "", now: datetime) -> Booking:
    """Ask for (request mode) or start paying for (instant mode) a stay; the nights are held
    from this moment. Raises DatesUnavailable when another booking, an imported block or a
    suspension holds one of them."""
    unit = Unit.objects.select_related("lodging__domain").get(pk=unit.pk)
    check_stay(traveller=traveller, unit=unit, arrival=arrival, departure=departure, adults=adults,
               children=children, now=now)
    quote = stay_price(unit, arrival, departure)
    tax = stay_tax(unit, arrival, departure, adults, children)
    booking = Booking(kind=BookingKind.STAY, traveller=traveller, owner_id=unit.lodging.domain.owner_id, unit=unit,
                      arrival=arrival, departure=departure, adults=adults, children=children,
                      message=message.strip(), total_price=quote.total, price_lines=quote.lines,
                      **_initial_state(unit.lodging.booking_mode, now))
    if booking.status == BookingStatus.CHECKOUT:  # instant: payment starts here (bookings/hooks.py)
        # Outside the transaction: the re-check may spend a few seconds fetching feeds, and
        # must not hold SQLite's write lock meanwhile.
        hooks.precheck_unit_before_commitment(unit=unit, now=now)
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE on SQLite: check + insert serialised
            overlapping = Booking.objects.filter(unit=unit, arrival__lt=departure, departure__gt=arrival)
            expire_stale(overlapping, now=now)
            release_own_checkout(overlapping, traveller=traveller, now=now)
            if not unit_is_free(unit, arrival, departure):
                raise DatesUnavailable()
            _insert(booking, actor=traveller, now=now)
            tourist_tax.freeze(booking=booking, quote=tax)
    except IntegrityError as exc:
        if _is_overlap_violation(exc):  # a concurrent booking committed first (PostgreSQL)
            raise DatesUnavailable() from exc
        raise
    return booking


def book_session(*, traveller: User, session: Session, adults: int, children: int, message: str = "",
                 now: datetime) -> Booking:
    """Take places in an experience session; never more than its capacity."""
    session = Session.objects.select_related("experience__domain").get(pk=session.pk)
    check_session(traveller=traveller, session=session, adults=adults, children=children, now=now)
    experience = session.experience
    quote = session_price(session, adults, children)
    day = today_in_paris(session.start)
    booking = Booking(kind=BookingKind.EXPERIENCE, traveller=traveller, owner_id=experience.domain.owner_id,
                      session=session, arrival=day, departure=day + timedelta(days=1), adults=adults,
                      children=children, message=message.strip(), total_price=quote.total,
                      price_lines=quote.lines, **_initial_state(
                          experience.booking_mode, now, answer_before=session.start - SESSION_REQUESTS_CLOSE_BEFORE))
    places = adults + children
    with transaction.atomic():
        expire_stale(Booking.objects.filter(session=session), now=now)
        release_own_checkout(Booking.objects.filter(session=session), traveller=traveller, now=now)
        # Compare-and-set: concurrent buyers serialise on the session row; the check
        # constraint session_not_overbooked backs it up.
        taken = Session.objects.filter(pk=session.pk, places_taken__lte=F("capacity") - places).update(
            places_taken=F("places_taken") + places)
        if not taken:
            raise BookingError(NO_PLACES_LEFT)
        # The places left show on the experience's page (an UPDATE: no post_save).
        content_changed.send(sender=Session, experience_id=session.experience_id)
        _insert(booking, actor=traveller, now=now)
    return booking


def _insert(booking: Booking, *, actor: User, now: datetime) -> None:
    booking.reference = new_reference()
    booking.save()
    _event(booking, "", booking.status, actor=actor, now=now)
    if booking.status == BookingStatus.REQUESTED:
        _on_commit(emails.request_received, booking)
        _on_commit(emails.request_sent, booking)


# --- Helpers for transitions ----------------------------------------------------------

def _on_commit(func, *args, **kwargs) -> None:
    # robust: a failing mail server is logged, never turns a committed booking into a 500.
    transaction.on_commit(lambda: func(*args, **kwargs), robust=True)


def _event(booking: Booking, from_status: str, to_status: str, *, actor: User | None, now: datetime,
           reason: str = "", code: str = "", **facts) -> BookingEvent:
    """`reason`: free text as written (a refusal message); `code` and `facts`: a line of
    bookings/history.py, rendered in each reader's language (`reason` keeps the French)."""
    if code:
        with translation.override("fr"):
            reason = reason_text(code, facts)
    # The one place every transition passes: one log line each (docs/operations.md#logs).
    log.info("booking %s: %s -> %s", booking.reference, from_status or "new", to_status,
             extra={"booking": booking.reference, "from_status": from_status, "to_status": to_status,
                    "actor_id": getattr(actor, "pk", None)})
    return BookingEvent.objects.create(booking=booking, from_status=from_status, to_status=to_status,
                                       actor=actor, reason=str(reason)[:300], reason_code=code,
                                       reason_params=facts, created_at=now)


def _lock(booking: Booking) -> None:
    """Lock the row (docs/locks.md), then reload it: the state we decide on is the committed one."""
    lock_booking(booking.pk)
    booking.refresh_from_db()


def _transition(booking: Booking, to_status: str, *, actor: User | None, now: datetime, reason: str = "",
                fields: tuple[str, ...] = (), code: str = "", **facts) -> None:
    from_status = booking.status
    booking.status = to_status
    booking.save(update_fields=["status", "updated_at", *fields])
    _event(booking, from_status, to_status, actor=actor, now=now, reason=reason, code=code, **facts)


def _release_places(booking: Booking, now: datetime) -> None:
    """Give a session's places back (only ever from a live booking going dead), and the
    voucher balance an unpaid booking reserved (bookings/hooks.py)."""
    hooks.release_voucher_hold(booking=booking, now=now)
    if booking.session_id:
        if Session.objects.filter(pk=booking.session_id, places_taken__gte=booking.guests).update(
                places_taken=F("places_taken") - booking.guests):
            content_changed.send(sender=Session, experience_id=booking.session.experience_id)


def _role(booking: Booking, user: User) -> str:
    if user.pk == booking.owner_id:
        return CancelledBy.OWNER
    if user.pk == booking.traveller_id:
        return CancelledBy.TRAVELLER
    if user.is_staff:
        return CancelledBy.STAFF
    raise BookingError(_("Cette réservation ne vous concerne pas."))


def overdue_q(now: datetime) -> Q:
    """Bookings whose current deadline has passed."""
    return (Q(status=BookingStatus.REQUESTED, respond_by__lte=now)
            | Q(status=BookingStatus.AWAITING_PAYMENT, pay_by__lte=now)
            | Q(status=BookingStatus.CHECKOUT, hold_until__lte=now))


# --- Owner's answer -------------------------------------------------------------------

def _guard_owner(booking: Booking, by: User) -> None:
    if by.pk != booking.owner_id and not by.is_staff:
        raise BookingError(_("Cette réservation ne vous concerne pas."))


def _guard_request_open(booking: Booking, now: datetime) -> None:
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError(_("Cette demande n'attend plus de réponse."))
    if booking.respond_by is not None and booking.respond_by <= now:
        raise BookingError(_("Le délai de réponse est dépassé : la demande a expiré."))


def accept(*, booking: Booking, by: User, now: datetime) -> None:
    """The owner says yes: the traveller has BOOKING_PAYMENT_HOURS to pay."""
    _guard_owner(booking, by)
    _guard_request_open(booking, now)
    if booking.unit_id:  # outside the transaction, like request_stay's
        hooks.precheck_unit_before_commitment(unit=booking.unit, now=now)
    with transaction.atomic():
        _lock(booking)
        _guard_request_open(booking, now)
        if booking.unit_id and not unit_is_free(booking.unit, booking.arrival, booking.departure,
                                                ignore_booking_id=booking.pk):
            raise DatesUnavailable()
        booking.pay_by = utc(now) + timedelta(hours=settings.BOOKING_PAYMENT_HOURS)
        if booking.session_id:  # paid before the session starts, not after
            booking.pay_by = min(booking.pay_by, utc(booking.session.start))
        _transition(booking, BookingStatus.AWAITING_PAYMENT, actor=by, now=now, fields=("pay_by",))
        _on_commit(emails.accepted, booking)


def refuse(*, booking: Booking, by: User, reason: str = "", now: datetime) -> None:
    _guard_owner(booking, by)
    with transaction.atomic():
        _lock(booking)
        _guard_request_open(booking, now)
        booking.refusal_reason = reason.strip()
        _transition(booking, BookingStatus.REFUSED, actor=by, now=now, reason=booking.refusal_reason,
                    fields=("refusal_reason",))
        _release_places(booking, now)
        _on_commit(emails.refused, booking)


# --- Payment ----------------------------------------------------------------------------

def _payment_problem(booking: Booking, now: datetime) -> BookingError | None:
    """Why this booking cannot be paid now, or None."""
    if booking.status not in PAYABLE_STATUSES:
        return BookingError(_("Cette réservation n'attend pas de paiement."))
    if booking.deadline is None or booking.deadline <= now:
        return BookingError(_("Le délai de paiement est dépassé."))
    if booking.unit_id and not unit_is_free(booking.unit, booking.arrival, booking.departure,
                                            ignore_booking_id=booking.pk):
        return DatesUnavailable()
    return None


def assert_payable(*, booking: Booking, now: datetime) -> None:
    """Raise BookingError unless the traveller may pay now (status, deadline, and no block
    imported on the nights since the dates were held). An accepted request's calendars are
    re-checked first; an instant checkout's were when it was created (bookings/hooks.py)."""
    if booking.unit_id and booking.status == BookingStatus.AWAITING_PAYMENT:
        hooks.precheck_unit_before_commitment(unit=booking.unit, now=now)
    problem = _payment_problem(booking, now)
    if problem is not None:
        raise problem


def confirm_payment(*, booking: Booking, amount_paid: Decimal, now: datetime) -> bool:
    """The money arrived. True: the booking is confirmed (now or before — idempotent). False:
    too late or the dates are gone; the booking is released and the payments app refunds and
    then calls `notify_late_payment_refunded`. The money has moved: no calendar re-check here
    (bookings/hooks.py), the availability check uses the blocks already stored."""
    with transaction.atomic():
        _lock(booking)
        if booking.paid_at is not None:  # already recorded: never move a booking backwards
            return True
        problem = _payment_problem(booking, now)
        if problem is None:
            _confirm(booking, amount_paid, now)
            return True
        _reject_late_payment(booking, amount_paid, problem, now)
        return False


def _confirm(booking: Booking, amount_paid: Decimal, now: datetime) -> None:
    split = commission_split(total=booking.total_price, kind=booking.kind)
    booking.amount_paid = round_money(amount_paid)
    booking.paid_at = now
    booking.commission_rate, booking.commission_amount = split.rate, split.commission
    booking.owner_net, booking.donation_amount = split.owner_net, split.donation
    _transition(booking, BookingStatus.CONFIRMED, actor=booking.traveller, now=now, code="payment_received",
                fields=("amount_paid", "paid_at", "commission_rate", "commission_amount", "owner_net",
                        "donation_amount"))
    _on_commit(emails.confirmed, booking)
    _on_commit(booking_confirmed.send, sender=Booking, booking=booking)


def _reject_late_payment(booking: Booking, amount_paid: Decimal, problem: BookingError, now: datetime) -> None:
    refusal = ({"code": "payment_refused_dates"} if isinstance(problem, DatesUnavailable)
               else {"code": "payment_refused", "why": str(problem.message)})
    log.warning("payment for %s refused (%s): to be refunded", booking.reference, problem.message)
    if booking.status == BookingStatus.REQUESTED:  # paid before the owner accepted: the request stays as is
        _event(booking, booking.status, booking.status, actor=None, now=now, **refusal)
        return
    # The money is recorded so the automatic refund can be recorded against it.
    booking.amount_paid = round_money(amount_paid)
    if booking.status in PAYABLE_STATUSES:  # too late or dates gone: release them now
        to_status = BookingStatus.CANCELLED if isinstance(problem, DatesUnavailable) else BookingStatus.EXPIRED
        booking.cancelled_at = now if to_status == BookingStatus.CANCELLED else booking.cancelled_at
        _transition(booking, to_status, actor=None, now=now, fields=("amount_paid", "cancelled_at"), **refusal)
        _release_places(booking, now)
    else:
        booking.save(update_fields=["amount_paid", "updated_at"])
        _event(booking, booking.status, booking.status, actor=None, now=now, **refusal)


def notify_late_payment_refunded(*, booking: Booking, amount: Decimal, now: datetime) -> None:
    """Tell both parties that a payment arrived too late (or for dates no longer free) and
    was refunded."""
    emails.late_payment_refunded(booking, amount)


# --- Cancellation and refunds ---------------------------------------------------------

def refund_deadline_passed(*, booking: Booking, now: datetime) -> bool:
    """Past the offer's free-cancellation deadline (days before arrival, hours before a session)."""
    if booking.unit_id:
        days = booking.unit.lodging.full_refund_days
        return (booking.arrival - today_in_paris(now)).days < days
    return booking.session.start - now < timedelta(hours=booking.session.experience.full_refund_hours)


def refund_amount_for_cancellation(*, booking: Booking, by_owner: bool, now: datetime) -> Decimal:
    """What a cancellation now gives back to the card (docs/product.md#cancellation-and-refunds): the owner's
    always 100 %; the traveller's 100 % before the deadline, the late percentage after."""
    return cancellation_refund_parts(booking=booking, by_owner=by_owner, now=now)[0]


def cancellation_refund_parts(*, booking: Booking, by_owner: bool, now: datetime) -> tuple[Decimal, Decimal]:
    """(card, voucher): the policy applies to the whole price paid (card + gift voucher); the
    card part is given back first, the rest goes back to the vouchers (docs/vouchers.md)."""
    if booking.status != BookingStatus.CONFIRMED:
        return Decimal("0.00"), Decimal("0.00")
    card_held = booking.amount_paid - booking.refunded_amount
    still_held = card_held + booking.voucher_amount
    if by_owner or not refund_deadline_passed(booking=booking, now=now):
        owed = still_held
    else:
        percent = booking.offer.late_refund_percent
        owed = min((booking.amount_paid + booking.voucher_amount) * percent / Decimal(100), still_held)
    owed = round_money(owed)
    card = min(owed, card_held)
    return round_money(card), round_money(owed - card)


def has_started(*, booking: Booking, now: datetime) -> bool:
    if booking.session_id:
        return booking.session.start <= now
    return booking.arrival <= today_in_paris(now)


def cancel(*, booking: Booking, by: User, now: datetime) -> Decimal:
    """Cancel by the traveller, the owner or staff; returns the refund owed (asked of the
    payments app on commit: hooks.refund_owed)."""
    role = _role(booking, by)
    with transaction.atomic():
        _lock(booking)
        if booking.status in UNPAID_STATUSES and booking.deadline is not None and booking.deadline <= now:
            _expire(booking, now)  # it had already lapsed: nothing to cancel, nothing owed
            return Decimal("0.00")
        if booking.status not in (*UNPAID_STATUSES, BookingStatus.CONFIRMED):
            raise BookingError(_("Cette réservation ne peut plus être annulée."))
        if booking.status == BookingStatus.CONFIRMED and has_started(booking=booking, now=now):
            raise BookingError(_("Le séjour ou la séance a déjà commencé : contactez l'équipe Alma Heritage."))
        amount, voucher_part = cancellation_refund_parts(booking=booking, by_owner=role != CancelledBy.TRAVELLER,
                                                         now=now)
        booking.cancelled_by, booking.cancelled_at = role, now
        _transition(booking, BookingStatus.CANCELLED, actor=by, now=now, fields=("cancelled_by", "cancelled_at"),
                    code="cancelled_by", who=str(role))
        _release_places(booking, now)
        hooks.restore_voucher_part(booking=booking, amount=voucher_part, now=now)  # in this transaction
        _on_commit(emails.cancelled, booking, amount, voucher_part)
        if amount > 0:
            _on_commit(hooks.refund_owed, booking=booking, amount=amount, now=now)
    return amount


def record_refund(*, booking: Booking, amount: Decimal, now: datetime) -> Decimal:
    """The payments app refunded `amount`: add it (never beyond what was paid). Returns what
    was recorded."""
    with transaction.atomic():
        _lock(booking)
        recorded = round_money(min(Decimal(amount), booking.amount_paid - booking.refunded_amount))
        if recorded <= 0:
            return Decimal("0.00")
        booking.refunded_amount += recorded
        booking.save(update_fields=["refunded_amount", "updated_at"])
        _event(booking, booking.status, booking.status, actor=None, now=now,
               code="refund", amount=str(recorded))
        if booking.paid_at is not None:  # a refused late payment has its own email (notify_late_payment_refunded)
            _on_commit(emails.refund_issued, booking, recorded)
    return recorded


def record_voucher(*, booking: Booking, amount: Decimal, reason: str, now: datetime) -> None:
    """The vouchers app reserved (amount > 0) or gave back (< 0) voucher money on this booking;
    the caller holds the booking's lock (docs/locks.md) and moves the voucher balances in the
    same transaction. `voucher_amount` is what vouchers pay of the booking now."""
    lock_booking(booking.pk)
    updated = Booking.objects.filter(pk=booking.pk, voucher_amount__gte=-amount).update(
        voucher_amount=F("voucher_amount") + amount)
    if not updated:
        raise BookingError(_("Le montant payé par bon cadeau ne peut pas devenir négatif."))
    booking.refresh_from_db(fields=["voucher_amount"])
    _event(booking, booking.status, booking.status, actor=None, now=now, reason=reason)


# --- Timers ------------------------------------------------------------------------------

def _expire(booking: Booking, now: datetime) -> None:
    """A deadline passed (row already locked): free the dates, tell who needs to know."""
    from_status = booking.status
    code = {BookingStatus.REQUESTED: "no_answer", BookingStatus.AWAITING_PAYMENT: "no_payment",
            BookingStatus.CHECKOUT: "checkout_lapsed"}.get(from_status, "")
    _transition(booking, BookingStatus.EXPIRED, actor=None, now=now, code=code)
    _release_places(booking, now)
    if from_status == BookingStatus.REQUESTED:
        _on_commit(emails.request_expired, booking)
    elif from_status == BookingStatus.AWAITING_PAYMENT:
        _on_commit(emails.payment_expired, booking)


def expire_stale(bookings: QuerySet[Booking], *, now: datetime) -> int:
    """Expire, inside the caller's transaction, those of `bookings` whose deadline passed,
    so a stale hold never blocks a new booking nor trips the exclusion constraint."""
    stale = list(bookings.filter(overdue_q(now)).select_for_update().order_by("pk"))
    with occupancy.batched():  # the units' occupied nights rewritten once, in unit order
        for booking in stale:
            _expire(booking, now)
    return len(stale)


def release_own_checkout(bookings: QuerySet[Booking], *, traveller: User, now: datetime) -> int:
    """A traveller who left the payment page and books again must not be blocked by their own
    hold: it is released (a payment still arriving for it is refunded as late)."""
    own = list(bookings.filter(traveller=traveller, status=BookingStatus.CHECKOUT).select_for_update().order_by("pk"))
    with occupancy.batched():
        for booking in own:
            _transition(booking, BookingStatus.EXPIRED, actor=traveller, now=now,
                        code="replaced")
            _release_places(booking, now)
    return len(own)


def expire_overdue(*, now: datetime, batch_size: int = 200) -> int:
    """The every-minute sweep: expire what is overdue, remind owners. Idempotent; two sweeps
    at once skip each other's locked rows. Returns how many bookings expired."""
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(Booking.objects.filter(overdue_q(now)).select_for_update(skip_locked=True)
                         .order_by("pk")[:batch_size])
            with occupancy.batched():
                for booking in batch:
                    _expire(booking, now)
        expired += len(batch)
        if len(batch) < batch_size:
            break
    send_owner_reminders(now=now)
    return expired


def send_owner_reminders(*, now: datetime) -> int:
    """Once per request, BOOKING_REMINDER_HOURS before the answer deadline."""
    due = Booking.objects.filter(status=BookingStatus.REQUESTED, reminder_sent_at__isnull=True, respond_by__gt=now,
                                 respond_by__lte=utc(now) + timedelta(hours=settings.BOOKING_REMINDER_HOURS))
    sent = 0
    for booking in due.select_related("owner", "traveller").order_by("pk")[:1000]:
        # Compare-and-set: a second sweep running at the same time sends nothing.
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                _on_commit(emails.owner_reminder, booking)
                sent += 1
    return sent
