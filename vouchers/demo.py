"""Demo gift vouchers (idempotent): one bought by James for Lucie, partly unused, and one the
team gave Lucie after a complaint. Their codes are fixed here so a developer can try them at
checkout (a real code is random and only its hash is stored; the demo stores the same hash)."""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from payouts import ledger
from payouts.models import LedgerAccount, TransactionKind

from . import codes, sales
from .models import EventKind, OrderStatus, Voucher, VoucherOrder

DEMO_CODES = {"sold": "CADE-AUXX-DEMA-2727", "given": "MERC-ZHEU-RGEN-3535"}


def _with_code(voucher: Voucher, code: str, now) -> None:
    voucher.code_hash = codes.code_hash(codes.normalize(code))
    voucher.code_last4 = code[-4:]
    voucher.delivered_at, voucher.expires_at = now, now + timedelta(days=settings.VOUCHER_VALIDITY_DAYS)
    voucher.save(update_fields=["code_hash", "code_last4", "delivered_at", "expires_at"])
    sales.event(voucher, EventKind.DELIVERED, now=now, note=f"démo : {voucher.recipient_email}")


@transaction.atomic
def seed(*, stdout) -> None:
    now = timezone.now()
    digest = codes.code_hash(codes.normalize(DEMO_CODES["sold"]))
    if Voucher.objects.filter(code_hash=digest).exists():
        stdout.write("vouchers: already seeded")
        return
    lucie = User.objects.get(email="lucie@demo.almaheritage.fr")
    james = User.objects.get(email="james@demo.almaheritage.fr")
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    order = sales.create_order(amount_cents=15000, buyer=james, buyer_name=james.get_full_name(),
                               buyer_email=james.email, buyer_language="en", recipient_name=lucie.get_full_name(),
                               recipient_email=lucie.email, recipient_language="fr",
                               message="Bon anniversaire, Lucie ! Un week-end au château ?", deliver_on=None, now=now)
    VoucherOrder.objects.filter(pk=order.pk).update(stripe_payment_intent_id=f"pi_demo_{order.reference}",
                                                    status=OrderStatus.PENDING)
    order.refresh_from_db()
    # As the webhook would (no card in the demo): paid, issued, posted as a voucher liability.
    sold = Voucher.objects.create(order=order, amount_cents=15000, balance_cents=15000,
                                  recipient_name=order.recipient_name, recipient_email=order.recipient_email,
                                  message=order.message)
    VoucherOrder.objects.filter(pk=order.pk).update(status=OrderStatus.PAID, paid_at=now)
    sales.event(sold, EventKind.ISSUED, amount=15000, now=now, note=f"acheté par {order.buyer_name} (démo)")
    ledger.post(key=f"voucher-sale:{order.stripe_payment_intent_id}", kind=TransactionKind.PAYMENT, occurred_at=now,
                memo=f"bon cadeau {order.reference} (démo)",
                lines=[ledger.Line(LedgerAccount.CASH, 15000), ledger.Line(LedgerAccount.VOUCHER_LIABILITY, -15000)])
    _with_code(sold, DEMO_CODES["sold"], now)
    given = Voucher.objects.create(amount_cents=5000, balance_cents=5000, recipient_name=lucie.get_full_name(),
                                   recipient_email=lucie.email, issued_by=staff,
                                   issue_reason="Geste commercial (démo) : ménage non fait à l'arrivée")
    sales.event(given, EventKind.ISSUED, amount=5000, actor=staff, now=now, note=given.issue_reason)
    ledger.post(key=f"voucher-issued:{given.pk}", kind=TransactionKind.ADJUSTMENT, occurred_at=now,
                memo="bon cadeau offert (démo)",
                lines=[ledger.Line(LedgerAccount.COMMISSION, 5000), ledger.Line(LedgerAccount.VOUCHER_LIABILITY, -5000)])
    _with_code(given, DEMO_CODES["given"], now)
    stdout.write(f"vouchers: 2 gift vouchers for {lucie.email}: {DEMO_CODES['sold']} (150 €), "
                 f"{DEMO_CODES['given']} (50 €)")
