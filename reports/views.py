"""The owner's report pages (dashboard, beside "Réservations"): the form on one of their
bookings, their reports and each one's state. A booking or a report of somebody else is a
404; a refusal is a message on the page, never a 500."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import owner_required
from bookings import selectors as booking_selectors

from . import services
from .forms import ReportForm
from .models import TravellerReport

PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
@owner_required
def report_new(request, reference: str):
    booking = booking_selectors.owner_booking(owner=request.user, reference=reference).first()
    if booking is None:
        raise Http404
    problem = services.report_problem(booking=booking)
    form = ReportForm(request.POST or None, request.FILES or None) if request.method == "POST" and not problem \
        else ReportForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                report = services.file_report(
                    booking=booking, by=request.user, category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"], photos=form.cleaned_data["photos"],
                    now=timezone.now())
            except services.ReportError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Votre signalement est transmis à l'équipe, qui vous répondra par "
                                            "e-mail."))
                return redirect("dashboard_report", report.pk)
    return render(request, "reports/dashboard/report_form.html", {
        "tab": "bookings", "booking": booking, "form": form, "problem": problem,
        "open_report": services.open_report(booking) if problem else None,
        "traveller": booking_selectors.traveller_name(booking.traveller)}, status=status)


@require_GET
@owner_required
def dashboard_reports(request):
    page = Paginator(services.owner_reports(owner=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/dashboard/reports_list.html", {"tab": "bookings", "page": page})


@require_GET
@owner_required
def dashboard_report(request, pk: int):
    report = get_object_or_404(
        TravellerReport.objects.select_related("booking__traveller", "booking__unit__lodging",
                                               "booking__session__experience"),
        pk=pk, owner=request.user)
    return render(request, "reports/dashboard/report_detail.html", {
        "tab": "bookings", "report": report, "photo_count": report.photos.count(),
        "events": report.events.all(), "traveller": booking_selectors.traveller_name(report.booking.traveller)})
