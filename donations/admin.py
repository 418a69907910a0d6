"""Staff: the foundations and their weights, the monthly report (page, CSV, PDF) and the
record of each bank transfer made to a foundation."""
from __future__ import annotations

import io
from datetime import date

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import admin_base as base
from core import dates
from core.dates import today_in_paris
from core.money import format_eur, from_cents
from exports.writers import CONTENT_TYPES, write_csv, write_pdf

from .models import DonationTransfer, Foundation
from .report import foundation_name, month_table
from .selectors import month_report


def parse_month(value: str | None, *, default: date) -> date:
    try:
        return dates.parse_month(value or "")
    except ValueError:
        return default


def previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


@admin.register(Foundation)
class FoundationAdmin(base.ModelAdmin):
    list_display = ("name", "weight", "share", "active", "website")
    list_editable = ("weight", "active")
    search_fields = ("name",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("part actuelle"))
    def share(self, foundation: Foundation) -> str:
        total = sum(Foundation.objects.filter(active=True).values_list("weight", flat=True))
        if not foundation.active or not total:
            return "—"
        return f"{foundation.weight * 100 / total:.1f} %".replace(".", ",")

    def get_urls(self):
        report = self.staff_view(self.report_view)
        return [path("rapport/", report, name="donations_report"), *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        month = parse_month(request.GET.get("mois"), default=previous_month(today_in_paris(timezone.now())))
        file_format = request.GET.get("format")
        if file_format in ("csv", "pdf"):
            return self._download(month, file_format)
        rows = month_report(month)
        transfers = DonationTransfer.objects.filter(month=month).select_related("foundation")
        return TemplateResponse(request, "admin/donations/report.html", {
            **self.admin_site.each_context(request), "title": _("Dons aux fondations"), "opts": self.model._meta,
            "month": month, "rows": [(foundation_name(row), row.bookings, from_cents(row.cents)) for row in rows],
            "total": from_cents(sum(row.cents for row in rows)), "transfers": transfers,
            "add_transfer_url": reverse("admin:donations_donationtransfer_add"),
        })

    def _download(self, month: date, file_format: str) -> HttpResponse:
        target = io.BytesIO()
        (write_csv if file_format == "csv" else write_pdf)(month_table(month), target)
        response = HttpResponse(target.getvalue(), content_type=CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="dons-{month:%Y-%m}.{file_format}"'
        return response


@admin.register(DonationTransfer)
class DonationTransferAdmin(base.ModelAdmin):
    list_display = ("foundation", "month", "amount_display", "transferred_on", "bank_reference", "recorded_by")
    list_filter = ("foundation", "month")
    search_fields = ("bank_reference", "foundation__name")

    @admin.display(description=_("montant"), ordering="amount")
    def amount_display(self, transfer: DonationTransfer) -> str:
        return format_eur(transfer.amount)

    def save_model(self, request, obj: DonationTransfer, form, change) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
