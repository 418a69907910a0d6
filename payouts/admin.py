"""Staff watch payments here (read-only: money moves only through the services)."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import admin_base as base
from core.money import format_cents

from . import monthly
from .models import (
    ConnectedAccount,
    Dispute,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    Payout,
    PayoutLine,
    Refund,
    RefundStatus,
    StripeEvent,
)
from .refunds import attempt_refund


class ReadOnlyAdmin(base.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RefundInline(base.TabularInline):
    model = Refund
    fields = ("stripe_refund_id", "amount_cents", "reason", "status", "error_message", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("booking", "stripe_payment_intent_id", "amount", "status", "refunded", "is_duplicate",
                    "amount_mismatch", "asked", "created_at")
    # "Montant différent": Stripe received another amount or currency than asked (refunded,
    # never confirmed, staff emailed: payouts/services.py alert_staff_mismatch).
    list_filter = ("status", "is_duplicate", "amount_mismatch")
    search_fields = ("booking__reference", "stripe_payment_intent_id", "stripe_charge_id")
    list_select_related = ("booking",)
    inlines = [RefundInline]

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, payment: Payment) -> str:
        return _in_currency(payment.amount_cents, payment.currency)

    @admin.display(description=_("montant demandé"))
    def asked(self, payment: Payment) -> str:
        if not payment.amount_mismatch:
            return "—"
        return _in_currency(payment.asked_amount_cents or 0, payment.asked_currency)

    @admin.display(description=_("remboursé"), ordering="refunded_cents")
    def refunded(self, payment: Payment) -> str:
        return _in_currency(payment.refunded_cents, payment.currency)


def _in_currency(amount: int, currency: str) -> str:
    """Euros as everywhere; another currency (an amount mismatch) in its smallest unit, as
    Stripe reports it: we do not know its decimals."""
    return format_cents(amount) if currency.lower() == "eur" else f"{amount} {currency.upper()}"


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("payment", "stripe_refund_id", "amount", "reason", "status", "attempts", "created_at")
    list_filter = ("status", "reason")
    search_fields = ("payment__booking__reference", "stripe_refund_id")
    list_select_related = ("payment",)
    actions = ["retry_now"]

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, refund: Refund) -> str:
        return format_cents(refund.amount_cents)

    @admin.action(description=_("Réessayer maintenant auprès de Stripe"))
    def retry_now(self, request, queryset) -> None:
        for refund in queryset.filter(status=RefundStatus.PENDING):
            attempt_refund(refund_id=refund.pk, now=timezone.now())
            self.log_change(request, refund, "Nouvelle tentative auprès de Stripe")


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "object_id", "outcome", "problem", "received_at", "processed_at")
    list_filter = ("outcome", "type")  # "Illisible ou inconnu": signed events answered 200 but not used
    search_fields = ("event_id", "object_id")


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(ReadOnlyAdmin):
    list_display = ("owner", "stripe_account_id", "details_submitted", "transfers_capability", "payouts_enabled",
                    "disabled_reason", "updated_at")
    list_filter = ("transfers_capability", "payouts_enabled", "details_submitted")
    search_fields = ("owner__email", "stripe_account_id")
    list_select_related = ("owner",)


class LedgerEntryInline(base.TabularInline):
    model = LedgerEntry
    fields = ("account", "owner", "booking", "amount", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("montant"))
    def amount(self, entry: LedgerEntry) -> str:
        return format_cents(entry.amount_cents)


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    """The journal: append-only (payouts/models.py AppendOnly), read here, never edited."""

    list_display = ("key", "kind", "booking", "payout", "occurred_at")
    list_filter = ("kind",)
    search_fields = ("key", "booking__reference")
    list_select_related = ("booking", "payout")
    inlines = [LedgerEntryInline]


class PayoutLineInline(base.TabularInline):
    model = PayoutLine
    fields = ("kind", "booking", "amount", "released")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("montant"))
    def amount(self, line: PayoutLine) -> str:
        return format_cents(line.amount_cents)


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    """Failed, held and in-doubt payouts are listed here (filter by status); staff run a
    month again from "Lancer les versements" (the same exactly-once run as the beat)."""

    list_display = ("owner", "month", "status", "amount", "stripe_transfer_id", "attempts", "last_error", "sent_at")
    list_filter = ("status", "month")
    search_fields = ("owner__email", "stripe_transfer_id", "transfer_group")
    list_select_related = ("owner",)
    inlines = [PayoutLineInline]
    actions = ["run_month_again"]
    change_list_template = "admin/payouts/payout/change_list.html"

    def get_urls(self):
        run = self.staff_view(self.run_view)
        return [path("lancer/", run, name="payouts_payout_run"), *super().get_urls()]

    def run_view(self, request):
        if not request.user.has_perm("payouts.change_payout"):
            raise PermissionDenied
        now = timezone.now()
        if request.method == "POST":
            try:
                month = monthly.parse_month(request.POST.get("month", ""))
                self._run(request, month, now)
            except ValueError as error:
                self.message_user(request, _("Mois invalide : %(error)s") % {"error": error}, messages.ERROR)
            return redirect("admin:payouts_payout_changelist")
        context = {**self.admin_site.each_context(request), "title": _("Lancer les versements"),
                   "month": f"{monthly.payout_month(now):%Y-%m}", "opts": self.model._meta}
        return TemplateResponse(request, "admin/payouts/payout/run.html", context)

    def _run(self, request, month, now) -> None:
        report = monthly.run_payouts(month=month, now=now)
        for payout in Payout.objects.filter(month=month):
            self.log_change(request, payout, f"Versements de {month:%m/%Y} lancés")
        self.message_user(request, _("%(month)s : %(sent)s versé(s), %(waiting)s en attente, %(failed)s échoué(s), "
                                     "%(doubt)s incertain(s).") % {
            "month": f"{month:%m/%Y}", "sent": report.sent, "waiting": report.waiting, "failed": report.failed,
            "doubt": report.in_doubt})

    @admin.action(description=_("Relancer les versements de ces mois"))
    def run_month_again(self, request, queryset) -> None:
        for month in sorted(set(queryset.values_list("month", flat=True))):
            self._run(request, month, timezone.now())

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, payout: Payout) -> str:
        return format_cents(payout.amount_cents)


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("stripe_dispute_id", "payment", "amount", "status", "reason", "created_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("stripe_dispute_id", "payment__booking__reference")

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, dispute: Dispute) -> str:
        return format_cents(dispute.amount_cents)
