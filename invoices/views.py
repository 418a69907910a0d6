"""The owner's "Paiements" tab and its downloads. Everything is looked up with `owner=` the
logged-in owner: anybody else's payout, statement or invoice is a 404, never a 403 that
would confirm it exists. Staff read them in the admin."""
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.decorators import owner_required
from payouts import connect
from payouts.models import Payout
from payouts.statements import statement_rows, statement_totals

from . import pdf, selectors, statements
from .models import Invoice

PAGE_SIZE = 12  # a year of monthly payouts


class _PayoutPaginator(Paginator):
    """The owner's payouts by pages, counted by the tab's head query, each page read as plain
    rows (selectors.payout_rows)."""

    def __init__(self, owner_id: int, count: int):
        super().__init__((), PAGE_SIZE)
        self.owner_id = owner_id
        self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(selectors.payout_rows(self.owner_id, (number - 1) * PAGE_SIZE, PAGE_SIZE), number, self)


@owner_required
def dashboard_payments(request):
    owner_id = request.user.pk
    head = selectors.payments_head(owner_id)
    page = _PayoutPaginator(owner_id, head.payout_count).get_page(request.GET.get("page"))
    months = [month for _pk, month, _status, _cents in page.object_list]
    documents, loose = selectors.page_documents(owner_id, months, first_page=page.number == 1)
    upcoming, upcoming_count = selectors.upcoming_rows(owner_id)
    account = head.account
    return render(request, "invoices/dashboard_payments.html", {
        "tab": "payments", "page": page,
        "payouts": [(pk, month, status, cents, documents.get(month, ()))
                    for pk, month, status, cents in page.object_list],
        "loose_documents": loose,
        "upcoming": upcoming, "upcoming_count": upcoming_count,
        "account": account, "connect": connect.state_of(account),
        "requirements_count": selectors.requirements_count(account),
        "has_billing_address": head.has_billing_address,
        "rates": {"stay": settings.COMMISSION_RATE_LODGING * 100, "experience": settings.COMMISSION_RATE_EXPERIENCE * 100},
    })


def _own_payout(request, pk: int) -> Payout:
    return get_object_or_404(Payout.objects.select_related("owner"), pk=pk, owner=request.user)


@owner_required
def payout_detail(request, pk: int):
    payout = _own_payout(request, pk)
    rows = statement_rows(payout)
    return render(request, "invoices/payout_detail.html", {
        "tab": "payments", "payout": payout, "state": selectors.payout_state(payout), "rows": rows,
        "pill": selectors.payout_pill(payout),
        "totals": statement_totals(payout, rows), "has_statement": statements.has_statement(payout),
        "documents": selectors.documents_by_month(owner=request.user, months=[payout.month]).get(payout.month, []),
    })


@owner_required
def payout_statement(request, pk: int, extension: str):
    payout = _own_payout(request, pk)
    if not statements.has_statement(payout):
        raise Http404(_("Ce versement n'a pas de relevé."))
    if extension == "csv":
        return _download(statements.statement_csv(payout), "text/csv; charset=utf-8",
                         statements.filename(payout, "csv"))
    return _download(statements.statement_pdf(payout), "application/pdf", statements.filename(payout, "pdf"))


@owner_required
def invoice_pdf(request, number: str):
    invoice = get_object_or_404(Invoice.objects.select_related("corrects"), number=number, owner=request.user)
    return _download(pdf.invoice_pdf(invoice), "application/pdf", pdf.filename(invoice))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
