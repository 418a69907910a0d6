"""Selling gift vouchers by card and issuing them (docs/vouchers.md).

The sale is its own PaymentIntent (metadata `alma_kind=voucher`), paid on our page with the
same Stripe card Element as a booking. Stripe's webhook (payouts/hooks.py) and the return page
both end in `apply_intent`, which is idempotent: the order is paid once, issues one voucher,
and posts one ledger transaction, cash +V / voucher_liability −V (a liability, not revenue:
the money becomes the owner's and our commission only when a booking uses it). A declined
card changes nothing but the order's error message: no voucher.

A voucher is delivered (its code made, hashed, mailed with its PDF) at once or on the day the
buyer chose (`deliver_due`, the `send-due-vouchers` beat job)."""
from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings.services import REFERENCE_ALPHABET
from core.dates import today_in_paris
from payouts import ledger
from payouts import stripe_adapter as stripe
from payouts.models import LedgerAccount, TransactionKind

from . import codes, emails
from .models import EventKind, OrderStatus, Voucher, VoucherEvent, VoucherOrder, VoucherStatus

log = logging.getLogger(__name__)
INTENT_KIND = "voucher"
A = LedgerAccount


class SaleError(Exception):
    """The sale cannot go on now (a message for the buyer)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


STRIPE_DOWN = _("Le paiement est momentanément indisponible. Réessayez dans quelques minutes.")


def amount_problem(amount_cents: int) -> str:
    """Why this amount cannot be sold ('' when it can): within the settings' limits."""
    low, high = settings.VOUCHER_MIN_AMOUNT * 100, settings.VOUCHER_MAX_AMOUNT * 100
    if not low <= amount_cents <= high:
        return str(_("Le montant d'un bon cadeau doit être compris entre %(low)s € et %(high)s €.")
                   % {"low": settings.VOUCHER_MIN_AMOUNT, "high": settings.VOUCHER_MAX_AMOUNT})
    return ""


def delivery_problem(deliver_on: date | None, *, now: datetime) -> str:
    if deliver_on is None:
        return ""
    today = today_in_paris(now)
    if deliver_on < today:
        return str(_("La date d'envoi ne peut pas être dans le passé."))
    if deliver_on > today + timedelta(days=365):
        return str(_("La date d'envoi doit être dans l'année qui vient."))
    return ""


def _new_reference() -> str:
    while True:
        reference = "BC-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(6))
        if not VoucherOrder.objects.filter(reference=reference).exists():
            return reference


def create_order(*, amount_cents: int, buyer_name: str, buyer_email: str, recipient_name: str,
                 recipient_email: str, recipient_language: str, message: str, deliver_on: date | None,
                 buyer=None, buyer_language: str = "fr", now: datetime) -> VoucherOrder:
    for problem in (amount_problem(amount_cents), delivery_problem(deliver_on, now=now)):
        if problem:
            raise SaleError(problem)
    if deliver_on is not None and deliver_on <= today_in_paris(now):
        deliver_on = None  # today: at once
    return VoucherOrder.objects.create(
        reference=_new_reference(), access_token=secrets.token_urlsafe(32), buyer=buyer,
        buyer_name=buyer_name.strip(), buyer_email=buyer_email.strip(), buyer_language=buyer_language,
        recipient_name=recipient_name.strip(), recipient_email=recipient_email.strip(),
        recipient_language=recipient_language if recipient_language in ("fr", "en") else "fr",
        message=message.strip(), deliver_on=deliver_on, amount_cents=amount_cents)


def start_payment(*, order: VoucherOrder) -> stripe.Intent:
    """The order's PaymentIntent (the same one across reloads). Raises SaleError."""
    if order.status == OrderStatus.PAID:
        raise SaleError(_("Ce bon cadeau est déjà payé."))
    try:
        if order.stripe_payment_intent_id:
            return stripe.retrieve_payment_intent(order.stripe_payment_intent_id)
        intent = stripe.create_payment_intent(
            amount_cents=order.amount_cents, reference=f"bon cadeau {order.reference}",
            transfer_group=f"voucher-{order.reference}", idempotency_key=order.idempotency_key,
            metadata={"alma_kind": INTENT_KIND, "voucher_order": order.reference, "voucher_order_id": str(order.pk)})
    except stripe.StripeUnavailable as error:
        log.warning("voucher order %s: Stripe unavailable: %s", order.reference, error)
        raise SaleError(STRIPE_DOWN) from error
    VoucherOrder.objects.filter(pk=order.pk, stripe_payment_intent_id__isnull=True).update(
        stripe_payment_intent_id=intent.id)
    order.refresh_from_db()
    if order.stripe_payment_intent_id != intent.id:  # another tab made one first: use theirs
        return stripe.retrieve_payment_intent(order.stripe_payment_intent_id)
    return intent


def sync_order(*, order: VoucherOrder, now: datetime) -> VoucherOrder:
    """The return page: ask Stripe now, then act as the webhook would."""
    if order.status == OrderStatus.PAID or not order.stripe_payment_intent_id:
        return order
    try:
        intent = stripe.retrieve_payment_intent(order.stripe_payment_intent_id)
    except stripe.StripeUnavailable as error:
        raise SaleError(STRIPE_DOWN) from error
    apply_intent(intent, now=now)
    order.refresh_from_db()
    return order


def apply_intent(intent: stripe.Intent, *, now: datetime) -> None:
    """What Stripe says of a voucher sale (webhook and return page). LookupError: not ours."""
    order = VoucherOrder.objects.filter(stripe_payment_intent_id=intent.id).first()
    if order is None:
        raise LookupError(intent.id)
    if intent.status == "succeeded":
        order_paid(order=order, amount_cents=intent.amount_cents, currency=intent.currency, now=now)
    elif intent.status == "requires_payment_method" and intent.error_message:
        VoucherOrder.objects.filter(pk=order.pk, status__in=(OrderStatus.PENDING, OrderStatus.FAILED)).update(
            status=OrderStatus.FAILED, error_message=intent.error_message[:500])


def order_paid(*, order: VoucherOrder, amount_cents: int, currency: str, now: datetime) -> Voucher | None:
    """Once: the order is paid, its voucher issued, the sale posted. Another amount or
    currency than asked issues nothing (staff are told, and refund it in Stripe)."""
    with transaction.atomic():
        order = VoucherOrder.objects.select_for_update().get(pk=order.pk)
        if order.status in (OrderStatus.PAID, OrderStatus.MISMATCH):
            return getattr(order, "voucher", None)
        if amount_cents != order.amount_cents or currency.lower() != "eur":
            order.status = OrderStatus.MISMATCH
            order.error_message = f"reçu {amount_cents} {currency.upper()} au lieu de {order.amount_cents} EUR"
            order.save(update_fields=["status", "error_message"])
            transaction.on_commit(lambda: _alert_staff(order), robust=True)
            log.error("voucher order %s: %s", order.reference, order.error_message)
            return None
        order.status, order.paid_at, order.error_message = OrderStatus.PAID, now, ""
        order.save(update_fields=["status", "paid_at", "error_message"])
        voucher = Voucher.objects.create(
            order=order, amount_cents=order.amount_cents, balance_cents=order.amount_cents,
            recipient_name=order.recipient_name, recipient_email=order.recipient_email,
            recipient_language=order.recipient_language, message=order.message, deliver_on=order.deliver_on)
        event(voucher, EventKind.ISSUED, amount=order.amount_cents, now=now,
              note=f"acheté par {order.buyer_name} ({order.reference})")
        ledger.post(key=f"voucher-sale:{order.stripe_payment_intent_id}", kind=TransactionKind.PAYMENT,
                    occurred_at=now, memo=f"bon cadeau {order.reference}",
                    lines=[ledger.Line(A.CASH, order.amount_cents), ledger.Line(A.VOUCHER_LIABILITY, -order.amount_cents)])
        transaction.on_commit(lambda: emails.receipt(order), robust=True)
        if order.deliver_on is None:
            transaction.on_commit(lambda: deliver(voucher_id=voucher.pk, now=now), robust=True)
    return voucher


def _alert_staff(order: VoucherOrder) -> None:
    send_mail(f"[Alma Heritage] Bon cadeau {order.reference} : montant reçu différent",
              f"{order.error_message}. Aucun bon n'a été émis : remboursez l'acheteur dans Stripe "
              f"({order.stripe_payment_intent_id}).", None, [settings.STAFF_INBOX_OWNERS])


def event(voucher: Voucher, kind: str, *, now: datetime, amount: int = 0, booking=None, actor=None,
          note: str = "") -> VoucherEvent:
    voucher.refresh_from_db(fields=["balance_cents"])
    return VoucherEvent.objects.create(voucher=voucher, kind=kind, amount_cents=amount,
                                       balance_after_cents=voucher.balance_cents, booking=booking, actor=actor,
                                       note=str(note)[:300], created_at=now)


# --- Delivery -------------------------------------------------------------------------------

def deliver(*, voucher_id: int, now: datetime, reissue: bool = False, actor=None) -> str | None:
    """Make the voucher's code and email it to the recipient with the PDF. Once (unless staff
    reissue it: a new code, the old one stops working). The email is queued in the same
    transaction that stores the code's hash, so a code is never stored without being sent.
    Returns the code (for tests and the demo), None when there was nothing to do."""
    def deliverable(voucher: Voucher) -> bool:
        return voucher.status == VoucherStatus.ACTIVE and (reissue or not voucher.is_delivered)

    draft = Voucher.objects.select_related("order").get(pk=voucher_id)
    if not deliverable(draft):
        return None
    code = codes.new_code()
    if not draft.is_delivered:
        draft.expires_at = now + timedelta(days=settings.VOUCHER_VALIDITY_DAYS)
    pdf = emails.voucher_pdf_for(draft, code)  # ~1 s of layout: before the row lock, not under it
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=voucher_id)
        if not deliverable(voucher) or voucher.delivered_at != draft.delivered_at:
            return None  # delivered meanwhile by another run
        voucher.code_hash = codes.code_hash(codes.normalize(code))
        voucher.code_last4 = code[-4:]
        voucher.expires_at = draft.expires_at
        voucher.delivered_at = now
        voucher.save(update_fields=["code_hash", "code_last4", "expires_at", "delivered_at"])
        event(voucher, EventKind.CODE_REISSUED if reissue else EventKind.DELIVERED, now=now, actor=actor,
              note=voucher.recipient_email)
        emails.voucher_to_recipient(voucher, code, pdf=pdf)
    return code


def deliver_due(*, now: datetime, batch_size: int = 200) -> int:
    """The hourly job: vouchers whose day has come (Paris). Idempotent (deliver is once)."""
    due = (Voucher.objects.filter(delivered_at__isnull=True, status=VoucherStatus.ACTIVE)
           .filter(Q(deliver_on__isnull=True) | Q(deliver_on__lte=today_in_paris(now)))
           .filter(Q(order__isnull=True) | Q(order__status=OrderStatus.PAID)).order_by("pk"))
    sent = 0
    for pk in list(due.values_list("pk", flat=True)[:batch_size]):
        try:
            sent += deliver(voucher_id=pk, now=now) is not None
        except Exception:  # one bad voucher (a PDF that fails) must not stop the others
            log.exception("voucher %s could not be delivered", pk)
    return sent


# --- Staff ------------------------------------------------------------------------------------

def issue_by_staff(*, amount_cents: int, recipient_name: str, recipient_email: str, reason: str, actor,
                   now: datetime, message: str = "", language: str = "fr") -> Voucher:
    """A voucher given by the platform (a complaint): our expense, posted as commission →
    voucher liability, so the ledger still balances when a booking uses it."""
    if amount_cents <= 0 or amount_cents > settings.VOUCHER_MAX_AMOUNT * 100:
        raise SaleError(amount_problem(amount_cents) or _("Montant invalide."))
    with transaction.atomic():
        voucher = Voucher.objects.create(amount_cents=amount_cents, balance_cents=amount_cents,
                                         recipient_name=recipient_name, recipient_email=recipient_email,
                                         recipient_language=language, message=message, issued_by=actor,
                                         issue_reason=reason[:300])
        event(voucher, EventKind.ISSUED, amount=amount_cents, actor=actor, now=now, note=reason)
        ledger.post(key=f"voucher-issued:{voucher.pk}", kind=TransactionKind.ADJUSTMENT, occurred_at=now,
                    memo=f"bon cadeau offert : {reason}",
                    lines=[ledger.Line(A.COMMISSION, amount_cents), ledger.Line(A.VOUCHER_LIABILITY, -amount_cents)])
        transaction.on_commit(lambda: deliver(voucher_id=voucher.pk, now=now, actor=actor), robust=True)
    return voucher


def cancel_voucher(*, voucher: Voucher, actor, now: datetime, note: str = "") -> int:
    """Staff cancel a voucher: its balance can no longer be spent. A sold voucher's balance is
    then owed back to its buyer (refunds_due: staff refund it in Stripe); a given one goes back
    to our commission. Refused while a booking holds part of it. Returns the cents voided."""
    from .models import RedemptionStatus

    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.status == VoucherStatus.CANCELLED:
            return 0
        if voucher.redemptions.filter(status=RedemptionStatus.HELD).exists():
            raise SaleError(_("Une réservation en cours de paiement utilise ce bon : réessayez plus tard."))
        voided = voucher.balance_cents
        Voucher.objects.filter(pk=voucher.pk).update(status=VoucherStatus.CANCELLED, balance_cents=0)
        event(voucher, EventKind.CANCELLED, amount=-voided, actor=actor, now=now, note=note)
        if voided:
            back_to = A.REFUNDS_DUE if voucher.order_id else A.COMMISSION
            ledger.post(key=f"voucher-cancelled:{voucher.pk}", kind=TransactionKind.ADJUSTMENT, occurred_at=now,
                        memo=f"bon cadeau annulé {voucher.masked_code}",
                        lines=[ledger.Line(A.VOUCHER_LIABILITY, voided), ledger.Line(back_to, -voided)])
    return voided
