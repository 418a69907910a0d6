"""Staff: every voucher and its history, issue one by hand (a complaint), cancel one, send a
new code, and the breakage report (expired balances)."""
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_base
from core.money import format_eur, from_cents, to_cents

from . import sales
from .models import Voucher, VoucherEvent, VoucherOrder, VoucherRedemption
from .selectors import breakage


class EventInline(admin_base.TabularInline):
    model = VoucherEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "amount_cents", "balance_after_cents", "booking", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RedemptionInline(admin_base.TabularInline):
    model = VoucherRedemption
    extra = 0
    can_delete = False
    fields = ("booking", "amount_cents", "restored_cents", "status", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class IssueForm(forms.ModelForm):
    """Issue by hand: the amount in euros, who, why. Everything else is the service's."""

    amount = forms.DecimalField(label=_("montant (€)"), max_digits=7, decimal_places=2, min_value=1)

    class Meta:
        model = Voucher
        fields = ("recipient_name", "recipient_email", "recipient_language", "message", "issue_reason")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > settings.VOUCHER_MAX_AMOUNT:
            raise forms.ValidationError(_("Au plus %(max)s €.") % {"max": settings.VOUCHER_MAX_AMOUNT})
        return amount

    def clean_issue_reason(self):
        reason = self.cleaned_data["issue_reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Dites pourquoi ce bon est offert (réclamation…)."))
        return reason


@admin.register(Voucher)
class VoucherAdmin(admin_base.ModelAdmin):
    list_display = ("masked_code", "recipient_name", "recipient_email", "amount", "balance", "expires_at",
                    "status", "origin")
    list_filter = ("status",)
    search_fields = ("recipient_email", "recipient_name", "code_last4", "order__reference", "order__buyer_email")
    list_select_related = ("order",)
    inlines = [RedemptionInline, EventInline]
    actions = ["cancel_vouchers", "send_new_code"]
    set_on_save = ("amount_cents", "balance_cents")  # from the form's euros, by sales.issue_by_staff
    readonly_fields = ("order", "code_last4", "amount_cents", "balance_cents", "status", "recipient_name",
                       "recipient_email", "recipient_language", "message", "deliver_on", "delivered_at",
                       "expires_at", "issued_by", "issue_reason", "created_at")

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, voucher: Voucher) -> str:
        return format_eur(from_cents(voucher.amount_cents))

    @admin.display(description=_("solde"), ordering="balance_cents")
    def balance(self, voucher: Voucher) -> str:
        return format_eur(from_cents(voucher.balance_cents))

    @admin.display(description=_("origine"))
    def origin(self, voucher: Voucher) -> str:
        return voucher.order.reference if voucher.order_id else str(_("offert par l'équipe"))

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = IssueForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("amount", "recipient_name", "recipient_email", "recipient_language", "message", "issue_reason")
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj: Voucher, form, change) -> None:
        if change:  # nothing of a voucher is edited by hand: actions only
            return
        data = form.cleaned_data
        issued = sales.issue_by_staff(amount_cents=to_cents(data["amount"]), recipient_name=data["recipient_name"],
                                      recipient_email=data["recipient_email"], reason=data["issue_reason"],
                                      message=data["message"], language=data["recipient_language"],
                                      actor=request.user, now=timezone.now())
        obj.pk = issued.pk  # the admin's "added" message and redirect name the issued voucher

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Annuler ces bons (le solde n'est plus utilisable)"))
    def cancel_vouchers(self, request, queryset):
        for voucher in queryset:
            try:
                voided = sales.cancel_voucher(voucher=voucher, actor=request.user, now=timezone.now(),
                                              note=str(_("annulé depuis l'administration")))
            except sales.SaleError as error:
                self.message_user(request, f"{voucher}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(voucher)s annulé (%(amount)s retirés).") % {
                    "voucher": voucher, "amount": format_eur(from_cents(voided))})

    @admin.action(description=_("Envoyer un nouveau code au bénéficiaire (l'ancien ne marche plus)"))
    def send_new_code(self, request, queryset):
        sent = sum(sales.deliver(voucher_id=v.pk, now=timezone.now(), reissue=v.is_delivered, actor=request.user)
                   is not None for v in queryset)
        self.message_user(request, _("%(n)s bon(s) envoyé(s).") % {"n": sent})

    def get_urls(self):
        report = self.staff_view(self.breakage_view)
        return [path("bons-expires/", report, name="vouchers_breakage"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"breakage_url": reverse("admin:vouchers_breakage"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def breakage_view(self, request):
        report = breakage(now=timezone.now())
        return TemplateResponse(request, "admin/vouchers/breakage.html", {
            **self.admin_site.each_context(request), "title": _("Bons cadeaux expirés (soldes perdus)"),
            "opts": self.model._meta, "report": report})


@admin.register(VoucherOrder)
class VoucherOrderAdmin(admin_base.ModelAdmin):
    list_display = ("reference", "buyer_name", "buyer_email", "recipient_email", "amount", "status", "paid_at",
                    "voucher_link")
    list_filter = ("status",)
    search_fields = ("reference", "buyer_email", "recipient_email", "stripe_payment_intent_id")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in VoucherOrder._meta.fields if field.name != "access_token"]

    def get_exclude(self, request, obj=None):
        return ("access_token",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("montant"), ordering="amount_cents")
    def amount(self, order: VoucherOrder) -> str:
        return format_eur(from_cents(order.amount_cents))

    @admin.display(description=_("bon"))
    def voucher_link(self, order: VoucherOrder) -> str:
        voucher = getattr(order, "voucher", None)
        if voucher is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:vouchers_voucher_change", args=[voucher.pk]),
                           voucher.masked_code)
