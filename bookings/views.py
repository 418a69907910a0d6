"""Traveller pages: book a stay or a session, "Mes voyages", a trip, cancelling it.
Views parse, call one service, render. A booking of someone else is a 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import today_in_paris
from domains.models import OfferStatus
from experiences.models import Session
from lodgings.models import Unit

from . import services, trip_list
from .forms import UNAVAILABLE, SessionBookingForm, StayBookingForm
from .models import Booking, BookingEvent, BookingStatus
from .trip_calendar import trip_ics

TRIPS_PER_PAGE = 10
TRIP_TABS = {"upcoming": gettext_lazy("À venir"), "past": gettext_lazy("Passés"),
             "cancelled": gettext_lazy("Annulés")}


def _after_booking(request, booking: Booking):
    if booking.status == BookingStatus.CHECKOUT:
        return redirect("payment_page", booking.reference)
    messages.success(request, _("Votre demande est envoyée : le propriétaire a 3 jours pour répondre."))
    return redirect("trip_detail", booking.reference)


def _with_defaults(query, *, adults: int, user):
    """Offer pages link with the dates only: start from sensible party sizes (and the
    traveller's known phone number)."""
    data = query.copy()
    data.setdefault("adults", str(adults))
    data.setdefault("children", "0")
    data.setdefault("phone", user.phone)
    return data


def _render_form(request, form, context: dict, booking_call):
    """GET with parameters (the offer page's links) or "Calculer le prix" (a POST, so the CSRF
    token never lands in a URL): preview the price. Any other POST: book through the service."""
    status = 200
    quoting = request.method == "POST" and "quote" in request.POST
    if request.method != "POST" or quoting:
        form.for_price_only()
    if request.method == "POST" and not quoting and form.is_valid():
        try:
            booking = booking_call(form.cleaned_data)
        except services.BookingError as error:
            form.add_error(None, error.message)
            status = 409 if isinstance(error, services.DatesUnavailable) else 400
        else:
            form.keep_phone()
            return _after_booking(request, booking)
    elif form.is_bound and not form.is_valid():
        status = 409 if form.has_error(NON_FIELD_ERRORS, code=UNAVAILABLE) else 200
        status = 400 if request.method == "POST" and not quoting and status == 200 else status
    return render(request, "bookings/booking_start.html", {**context, "form": form}, status=status)


@login_required
def booking_start(request, unit_id: int):
    unit = get_object_or_404(Unit.objects.select_related("lodging__domain"), pk=unit_id, is_active=True,
                             lodging__status=OfferStatus.PUBLISHED, lodging__domain__status=OfferStatus.PUBLISHED)
    now = timezone.now()
    data = request.POST if request.method == "POST" else _with_defaults(
        request.GET, adults=min(2, unit.adults_capacity), user=request.user) if "arrival" in request.GET else None
    form = StayBookingForm(data, unit=unit, user=request.user, now=now)

    def book(cleaned):
        return services.request_stay(traveller=request.user, unit=unit, arrival=cleaned["arrival"],
                                     departure=cleaned["departure"], adults=cleaned["adults"],
                                     children=cleaned["children"], message=cleaned.get("message", ""), now=now)

    context = {"unit": unit, "lodging": unit.lodging, "domain": unit.lodging.domain,
               "mode": unit.lodging.booking_mode}
    return _render_form(request, form, context, book)


@login_required
def booking_start_session(request, session_id: int):
    session = get_object_or_404(
        Session.objects.select_related("experience__domain"), pk=session_id, is_active=True,
        experience__status=OfferStatus.PUBLISHED, experience__domain__status=OfferStatus.PUBLISHED)
    now = timezone.now()
    data = request.POST if request.method == "POST" else _with_defaults(request.GET, adults=1, user=request.user)
    form = SessionBookingForm(data, session=session, user=request.user, now=now)

    def book(cleaned):
        return services.book_session(traveller=request.user, session=session, adults=cleaned["adults"],
                                     children=cleaned["children"], message=cleaned.get("message", ""), now=now)

    context = {"session": session, "experience": session.experience, "domain": session.experience.domain,
               "mode": session.experience.booking_mode}
    return _render_form(request, form, context, book)


class _TripPaginator(Paginator):
    """A tab's trips by pages, counted and read as plain rows (bookings/trip_list.py)."""

    def __init__(self, traveller_id: int, tab: str, today):
        super().__init__((), TRIPS_PER_PAGE)
        self.traveller_id, self.tab, self.today = traveller_id, tab, today

    @cached_property
    def count(self) -> int:
        return trip_list.trip_count(self.traveller_id, self.tab, self.today)

    def page(self, number):
        number = self.validate_number(number)
        rows = trip_list.trip_rows(self.traveller_id, self.tab, self.today, (number - 1) * self.per_page,
                                   self.per_page)
        return self._get_page(rows, number, self)


@login_required
def trips(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TRIP_TABS else "upcoming"
    today = today_in_paris(timezone.now())
    page = _TripPaginator(request.user.pk, tab, today).get_page(request.GET.get("page"))
    return render(request, "bookings/trips.html", {"page": page, "tab": tab, "tabs": TRIP_TABS})


def _own_trip(request, reference: str) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("unit__lodging__domain", "session__experience__domain", "owner")
        .prefetch_related(Prefetch("events", BookingEvent.objects.select_related("actor"))),
        reference=reference, traveller=request.user)


@login_required
def trip_detail(request, reference: str):
    booking = _own_trip(request, reference)
    now = timezone.now()
    can_pay = (booking.status in services.PAYABLE_STATUSES and booking.deadline is not None
               and booking.deadline > now)
    can_cancel = booking.status in (*services.UNPAID_STATUSES, BookingStatus.CONFIRMED) and not (
        booking.status == BookingStatus.CONFIRMED and services.has_started(booking=booking, now=now))
    offer = booking.offer
    offer_url = (reverse("lodging_detail", args=[offer.slug]) if booking.unit_id
                 else reverse("experience_detail", args=[offer.slug]))
    return render(request, "bookings/trip_detail.html", {
        "booking": booking, "offer_url": offer_url, "can_pay": can_pay, "pay_url": reverse("payment_page", args=[booking.reference]) if can_pay else None,
        "can_cancel": can_cancel, "events": booking.events.all()})


@login_required
def trip_calendar(request, reference: str):
    """"Ajouter à mon agenda": the confirmed trip as one iCalendar event (an all-day span for a
    stay, the session's times for an experience)."""
    booking = _own_trip(request, reference)
    if booking.status != BookingStatus.CONFIRMED:
        raise Http404
    return HttpResponse(trip_ics(booking), content_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{booking.reference}.ics"'})


@login_required
def trip_cancel(request, reference: str):
    """GET: the refund a cancellation gives now. POST: cancel."""
    booking = _own_trip(request, reference)
    now = timezone.now()
    refund, voucher_refund = services.cancellation_refund_parts(booking=booking, by_owner=False, now=now)
    if request.method == "POST":
        try:
            refund = services.cancel(booking=booking, by=request.user, now=now)
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            if booking.status == BookingStatus.CANCELLED:
                messages.success(request, _("Votre réservation est annulée."))
            else:
                messages.info(request, _("Cette réservation avait déjà expiré."))
        return redirect("trip_detail", booking.reference)
    late = booking.status == BookingStatus.CONFIRMED and services.refund_deadline_passed(booking=booking, now=now)
    return render(request, "bookings/trip_cancel.html", {"booking": booking, "refund": refund, "late": late,
                                                         "voucher_refund": voucher_refund})
