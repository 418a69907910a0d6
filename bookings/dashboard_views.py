"""The owner's "Réservations" and "Clients" tabs. Every booking is looked up through the
owner's own bookings: somebody else's reference is a 404, on pages and on actions."""
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import owner_required
from core.money import format_eur
from core.paginator import DeferredJoinPaginator
from exports.templatetags.exports_tags import recent_export_rows

from . import owner_aggregates, selectors, services
from .models import Booking, BookingStatus
from .selectors import ROW_STATES, ListFilter

PAGE_SIZE = 25
MAX_ASKED_PAGE = 1_000_000  # past it, the page is the last one, found from the count
EXPORT_FORMATS = (("pdf", "PDF"), ("csv", "CSV"), ("xlsx", "Excel"))
CANCELLABLE_BY_OWNER = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motif du refus (facultatif)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Il est transmis au voyageur avec la réponse."))


@dataclass(slots=True)
class Row:
    booking: Booking | selectors.ListBooking
    state: selectors.RowState
    offer: str
    traveller: str
    time_left: str


def _rows(bookings, *, now) -> list[Row]:
    today = timezone.localdate(now)
    return [Row(booking=booking, state=selectors.row_state(booking, today=today),
                offer=selectors.offer_label(booking), traveller=selectors.traveller_name(booking.traveller),
                time_left=selectors.time_left(booking.respond_by, now=now)
                if booking.status == BookingStatus.REQUESTED else "")
            for booking in bookings]


def _list_rows(values, *, now) -> list[Row]:
    """The list's rows from plain values (selectors.owner_booking_values)."""
    today = timezone.localdate(now)
    rows = []
    for booking in map(selectors.list_booking, values):
        rows.append(Row(booking=booking, state=selectors.row_state(booking, today=today), offer=booking.offer,
                        traveller=booking.traveller,
                        time_left=selectors.time_left(booking.respond_by, now=now)
                        if booking.status == BookingStatus.REQUESTED else ""))
    return rows


class _PageOfBookings:
    """What a Paginator slices for the list without a search: the page's rows, already read
    with the filter tabs' counts (`fetched`: offset and rows), or read now in one query
    built once per process (`selectors.owner_booking_page`)."""
    ordered = True

    def __init__(self, *, owner, list_filter: str, today, fetched: tuple[int, list] | None = None):
        self.owner, self.list_filter, self.today, self.fetched = owner, list_filter, today, fetched

    def __getitem__(self, page: slice) -> list:
        if self.fetched is not None and self.fetched[0] == page.start:
            return self.fetched[1]  # LIMIT PAGE_SIZE from there: the rows up to the count at most
        if page.stop <= page.start:
            return []
        return selectors.owner_booking_page(owner=self.owner, list_filter=self.list_filter, today=self.today,
                                            offset=page.start, limit=page.stop - page.start)


def _asked_page(value) -> int | None:
    """The page `Paginator.get_page` will show, when it can tell without the count: a page
    that is no number is the first; a number below 1, or too large to be an offset (a
    crawler's 20 digits), is the last (None: count first)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_ASKED_PAGE else None


@require_GET
@owner_required
def bookings_list(request):
    now = timezone.now()
    today = timezone.localdate(now)
    list_filter, query = ListFilter.clean(request.GET.get("filtre")), request.GET.get("q", "").strip()[:100]
    asked = request.GET.get("page")
    if query:
        counts = selectors.filter_counts(owner=request.user, today=today)
        bookings = selectors.owner_bookings(owner=request.user, list_filter=list_filter, query=query, today=today)
        paginator = DeferredJoinPaginator(selectors.owner_booking_values(bookings), PAGE_SIZE)
    else:
        # Without a search the filter's tab counts its rows: the page and the tabs' counts
        # come in one statement, unless the page asked is past the last (then two).
        # Kept, the counts come from the cache and the page alone is read (bookings/owner_aggregates.py).
        number, fetched = _asked_page(asked), None
        counts, keep = owner_aggregates.kept(request.user.pk, f"tab-counts:{today}")
        if number is not None and counts is None:
            offset = (number - 1) * PAGE_SIZE
            rows, counts = selectors.owner_booking_page_and_counts(
                owner=request.user, list_filter=list_filter, today=today, offset=offset, limit=PAGE_SIZE)
            fetched = (offset, rows) if counts is not None else None
        if counts is None:
            counts = selectors.filter_counts(owner=request.user, today=today)
        keep(counts)
        paginator = Paginator(_PageOfBookings(owner=request.user, list_filter=list_filter, today=today,
                                              fetched=fetched), PAGE_SIZE)
        paginator.__dict__["count"] = counts[list_filter]  # Paginator.count is a cached_property
    page = paginator.get_page(asked)
    return render(request, "bookings/dashboard/bookings_list.html", {
        "tab": "bookings", "page": page, "rows": _list_rows(page.object_list, now=now), "query": query,
        "list_filter": list_filter, "filter_label": ListFilter.label(list_filter),
        "filters": [(key, label, counts[key]) for key, label in ListFilter.choices],
        "legend": ROW_STATES, "export_formats": EXPORT_FORMATS,
        "export_in_worker": page.paginator.count > settings.EXPORT_SYNC_MAX_ROWS_PDF,
        "export_params": [("filtre", list_filter), ("q", query)],
        "empty_text": _empty_text(list_filter, query),
        "recent_exports": recent_export_rows(owner_id=request.user.pk, kind="bookings", now=now),
    })


def _empty_text(list_filter: str, query: str) -> str:
    if query:
        return _("Aucune réservation ne correspond à « %(query)s » dans cette liste.") % {"query": query}
    return {
        ListFilter.ALL: _("Aucune réservation pour le moment. Elles apparaîtront ici dès vos premières demandes."),
        ListFilter.UPCOMING: _("Aucune réservation confirmée à venir."),
        ListFilter.ONGOING: _("Aucun séjour ni aucune séance en cours aujourd'hui."),
        ListFilter.PENDING: _("Aucune demande en attente : vous êtes à jour."),
        ListFilter.PAST: _("Aucune réservation passée pour le moment."),
        ListFilter.REFUNDED: _("Aucune réservation remboursée."),
    }[list_filter]



def _owner_booking(request, reference: str) -> Booking:
    booking = selectors.owner_booking(owner=request.user, reference=reference).first()
    if booking is None:
        raise Http404
    return booking


@require_GET
@owner_required
def booking_detail(request, reference: str):
    booking = _owner_booking(request, reference)
    now = timezone.now()
    return render(request, "bookings/dashboard/booking_detail.html", {
        "tab": "bookings", "booking": booking, "row": _rows([booking], now=now)[0],
        "events": booking.events.select_related("actor"),
        "contact_visible": selectors.contact_visible(booking),
        "can_cancel": _owner_can_cancel(booking, now=now),
    })


def _owner_can_cancel(booking: Booking, *, now) -> bool:
    return booking.status in CANCELLABLE_BY_OWNER and not services.has_started(booking=booking, now=now)


def _back(request, booking: Booking):
    """Back where the owner clicked: the filtered list or the booking page."""
    target = request.POST.get("next", "")
    # A path only, redirected as is: `redirect("9999-12-31")` would try it as a view name (500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                  require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("dashboard_booking", reference=booking.reference)


@require_POST
@owner_required
def booking_accept(request, reference: str):
    booking = _owner_booking(request, reference)
    try:
        services.accept(booking=booking, by=request.user, now=timezone.now())
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Demande %(reference)s acceptée : le voyageur a 48 heures pour payer.")
                         % {"reference": booking.reference})
    return _back(request, booking)


@require_POST
@owner_required
def booking_refuse(request, reference: str):
    booking = _owner_booking(request, reference)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le motif du refus est trop long (2 000 caractères au plus)."))
        return _back(request, booking)
    try:
        services.refuse(booking=booking, by=request.user, reason=form.cleaned_data["reason"], now=timezone.now())
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Demande %(reference)s refusée : le voyageur est prévenu.")
                         % {"reference": booking.reference})
    return _back(request, booking)


@require_http_methods(["GET", "POST"])
@owner_required
def booking_cancel(request, reference: str):
    """Cancelling by the owner refunds the traveller 100 %: the page says how much first."""
    booking = _owner_booking(request, reference)
    now = timezone.now()
    if request.method == "POST":
        try:
            amount = services.cancel(booking=booking, by=request.user, now=now)
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Réservation %(reference)s annulée. Le voyageur est remboursé de %(amount)s.")
                             % {"reference": booking.reference, "amount": format_eur(amount)})
        return redirect("dashboard_booking", reference=booking.reference)
    if not _owner_can_cancel(booking, now=now):
        messages.error(request, _("Cette réservation ne peut plus être annulée."))
        return redirect("dashboard_booking", reference=booking.reference)
    return render(request, "bookings/dashboard/booking_cancel.html", {
        "tab": "bookings", "booking": booking, "offer": selectors.offer_label(booking),
        "refund": services.refund_amount_for_cancellation(booking=booking, by_owner=True, now=now),
    })


class _PageOfClients:
    """What a Paginator slices for the clients without a search: one query built once per
    process (`selectors.owner_client_page`); the count is a query of its own."""
    ordered = True

    def __init__(self, owner):
        self.owner = owner

    def __getitem__(self, page: slice) -> list:
        if page.stop <= page.start:
            return []
        return selectors.owner_client_page(owner=self.owner, offset=page.start, limit=page.stop - page.start)


@require_GET
@owner_required
def clients_list(request):
    query = request.GET.get("q", "").strip()[:100]
    if query:
        paginator = Paginator(selectors.owner_clients(owner=request.user, query=query), PAGE_SIZE)
    else:
        paginator = Paginator(_PageOfClients(request.user), PAGE_SIZE)
        count, keep = owner_aggregates.kept(request.user.pk, "client-count")
        if count is None:
            count = selectors.owner_client_count(owner=request.user)
            keep(count)
        paginator.__dict__["count"] = count
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "bookings/dashboard/clients_list.html", {
        "tab": "clients", "page": page, "query": query, "export_formats": EXPORT_FORMATS,
        "export_params": [("q", query)],
        "export_in_worker": page.paginator.count > settings.EXPORT_SYNC_MAX_ROWS_PDF,
        "recent_exports": recent_export_rows(owner_id=request.user.pk, kind="clients", now=timezone.now()),
    })
