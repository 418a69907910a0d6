"""Staff: communes and their tariffs (with validity dates), the tax frozen on each stay (the
"tarif manquant" flag), and the half-yearly declaration per commune (page, CSV, PDF)."""
from __future__ import annotations

import io

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_base as base
from core.dates import today_in_paris
from core.money import format_eur, from_cents
from exports.writers import CONTENT_TYPES, write_csv, write_pdf

from .declaration import declaration, declaration_table, parse_period, previous_semester, semester
from .models import BookingTax, Commune, Remittance, Tariff, TaxStatus


class RemittanceForm(forms.Form):
    remitted_on = forms.DateField(label=_("Reversé le"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Référence du virement"), max_length=120)


class TariffInline(base.TabularInline):
    model = Tariff
    extra = 0
    fields = ["category", "valid_from", "valid_until", "per_person_night", "rate_percent", "cap",
              "departmental_rate", "regional_rate", "source"]


@admin.register(Commune)
class CommuneAdmin(base.ModelAdmin):
    list_display = ["name", "insee_code", "departement", "tariff_count", "missing_count", "declaration_link"]
    search_fields = ["name", "insee_code"]
    inlines = [TariffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_tariffs=Count("tariffs", distinct=True),
            n_missing=Count("booking_taxes", filter=Q(booking_taxes__status=TaxStatus.NO_TARIFF), distinct=True))

    @admin.display(description=_("tarifs"), ordering="n_tariffs")
    def tariff_count(self, commune: Commune) -> int:
        return commune.n_tariffs

    @admin.display(description=_("séjours sans tarif"), ordering="n_missing")
    def missing_count(self, commune: Commune) -> str:
        return str(commune.n_missing) if commune.n_missing else "—"

    @admin.display(description=_("déclaration"))
    def declaration_link(self, commune: Commune) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:touristtax_declaration", args=[commune.pk]),
                           _("Déclaration"))

    def get_urls(self):
        view = self.staff_view(self.declaration_view)
        return [path("<int:commune_id>/declaration/", view, name="touristtax_declaration"), *super().get_urls()]

    def declaration_view(self, request: HttpRequest, commune_id: int) -> HttpResponse:
        commune = get_object_or_404(Commune, pk=commune_id)
        today = today_in_paris(timezone.now())
        period = parse_period(request.GET.get("periode")) or previous_semester(today)
        result = declaration(commune=commune, period=period)
        file_format = request.GET.get("format")
        if file_format in ("csv", "pdf"):
            target = io.BytesIO()
            (write_csv if file_format == "csv" else write_pdf)(declaration_table(result), target)
            response = HttpResponse(target.getvalue(), content_type=CONTENT_TYPES[file_format])
            name = f"taxe-de-sejour-{commune.insee_code}-{period.key}.{file_format}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        remittance = Remittance.objects.filter(commune=commune, period_start=period.start).first()
        form = RemittanceForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and remittance is None and form.is_valid():
            # The amount is the declaration's total now: what the commune is paid for the period.
            Remittance.objects.get_or_create(commune=commune, period_start=period.start, defaults={
                "period_end": period.end, "amount": result.total, "recorded_by": request.user,
                "remitted_on": form.cleaned_data["remitted_on"], "reference": form.cleaned_data["reference"]})
            messages.success(request, _("Reversement enregistré."))
            return redirect(f"{request.path}?periode={period.key}")
        periods = [semester(year, half) for year in range(today.year, today.year - 4, -1) for half in (2, 1)]
        return TemplateResponse(request, "admin/touristtax/declaration.html", {
            **self.admin_site.each_context(request), "title": _("Déclaration de taxe de séjour"),
            "opts": self.model._meta, "commune": commune, "period": period, "periods": periods,
            "result": result, "lines": [(line, from_cents(line.amount_cents)) for line in result.lines],
            "remittance": remittance, "form": form})


@admin.register(Tariff)
class TariffAdmin(base.ModelAdmin):
    list_display = ["commune", "category", "valid_from", "valid_until", "per_person_night", "rate_percent", "cap",
                    "departmental_rate", "regional_rate"]
    list_filter = ["category", "valid_from"]
    search_fields = ["commune__name", "commune__insee_code"]
    autocomplete_fields = ["commune"]


@admin.register(BookingTax)
class BookingTaxAdmin(base.ModelAdmin):
    """Read-only: frozen when the stay was booked. Filter « Tarif manquant » lists the stays
    booked without tax, for staff to add the commune's tariff."""

    list_display = ["booking_reference", "lodging", "insee_code", "category", "status", "nights", "adults",
                    "per_adult_night", "amount_display", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["booking__reference", "insee_code", "lodging__title"]
    list_select_related = ["booking", "lodging"]

    @admin.display(description=_("réservation"), ordering="booking__reference")
    def booking_reference(self, row: BookingTax) -> str:
        return row.booking.reference

    @admin.display(description=_("montant"), ordering="amount")
    def amount_display(self, row: BookingTax) -> str:
        return format_eur(row.amount)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Remittance)
class RemittanceAdmin(base.ModelAdmin):
    """Recorded from a declaration's page (« Enregistrer le reversement »)."""

    list_display = ["commune", "period_start", "period_end", "amount", "remitted_on", "reference", "recorded_by"]
    list_filter = ["period_start"]
    search_fields = ["commune__name", "commune__insee_code", "reference"]
    readonly_fields = ["commune", "period_start", "period_end", "amount", "recorded_by"]

    def has_add_permission(self, request) -> bool:
        return False
