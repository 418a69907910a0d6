"""Staff see every invoice and credit note, read-only (issued documents never change,
invoices.models), and download their PDF. Corrections are credit notes, issued by
invoices.monthly when the ledger corrects an invoiced booking (docs/invoices.md)."""
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_base as base

from . import pdf
from .models import Invoice, InvoiceLine


class InvoiceLineInline(base.TabularInline):
    model = InvoiceLine
    fields = ["position", "booking_reference", "description", "base_cents", "ht_cents", "vat_cents", "ttc_cents"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(base.ModelAdmin):
    list_display = ["number", "kind", "owner", "month", "issue_date", "total_ttc_cents", "settlement", "pdf_link"]
    list_filter = ["kind", "settlement", "month"]
    search_fields = ["number", "owner__email", "buyer_name", "lines__booking_reference"]
    list_select_related = ["owner"]
    inlines = [InvoiceLineInline]

    def has_add_permission(self, request) -> bool:
        return False  # issued by invoices.monthly only

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, invoice: Invoice) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:invoices_invoice_pdf", args=[invoice.pk]),
                           pdf.filename(invoice))

    def get_urls(self):
        return [path("<int:pk>/pdf/", self.staff_view(self.pdf_view), name="invoices_invoice_pdf"),
                *super().get_urls()]

    def pdf_view(self, request, pk: int):
        invoice = get_object_or_404(Invoice, pk=pk)
        response = HttpResponse(pdf.invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf.filename(invoice)}"'
        return response
