"""Owner pages (Configuration iCal, room picker, the domain's sync view) and the public
export feed. Thin: parse, call a service, render."""
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import owner_required
from core.dates import today_in_paris
from domains.models import Domain
from lodgings.models import Lodging, LodgingKind

from . import selectors
from .conflicts import resolve_alert
from .export import build_feed
from .feeds import FeedError, add_feed, delete_feed, export_calendar, regenerate_token
from .forms import FeedForm
from .models import DoubleBookingAlert, Feed, UnitCalendar
from .sync import SyncOutcome, sync_feed

UNITS_PER_PAGE = 10


# --- Public export feed ----------------------------------------------------------------------

@require_safe  # GET and HEAD: some calendar clients probe with HEAD
def ical_export(request: HttpRequest, token: str) -> HttpResponse:
    calendar = UnitCalendar.objects.select_related("unit__lodging").filter(token=token).first()
    if calendar is None:  # unknown or regenerated token
        raise Http404
    feed = build_feed(unit=calendar.unit, today=today_in_paris(timezone.now()),
                      regenerated_at=calendar.regenerated_at)
    last_modified = int(feed.last_modified.timestamp()) if feed.last_modified else None
    not_modified = get_conditional_response(request, etag=feed.etag, last_modified=last_modified)
    response = not_modified or HttpResponse(feed.body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = feed.etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Content-Disposition"] = 'inline; filename="alma-heritage.ics"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, max_age=300)
    return response


# --- Configuration iCal (one unit) -------------------------------------------------------------

def _owned_unit(request: HttpRequest, unit_id: int):
    return get_object_or_404(selectors.owner_units(request.user), pk=unit_id)


def _report(request: HttpRequest, outcome: SyncOutcome) -> None:
    if outcome.skipped:
        messages.info(request, _("Une synchronisation de ce calendrier est déjà en cours."))
    elif outcome.error:
        messages.error(request, _("Lien enregistré, mais la synchronisation a échoué : %(error)s")
                       % {"error": outcome.error})
    elif outcome.not_modified:
        messages.success(request, _("Synchronisé : rien n'a changé depuis la dernière fois."))
    else:
        messages.success(request, _("Synchronisé : %(events)s événement(s) lu(s), %(nights)s nuit(s) bloquée(s).")
                         % {"events": outcome.events_read, "nights": outcome.nights_blocked})
        for warning in outcome.warnings[:5]:
            messages.warning(request, warning)


@owner_required
def unit_feeds(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _owned_unit(request, unit_id)
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feed = add_feed(unit=unit, now=timezone.now(), **form.cleaned_data)
        except FeedError as error:
            form.add_error("url", str(error))
        else:
            # "Enregistrer & Synchroniser": saved, then fetched at once.
            _report(request, sync_feed(feed=feed, now=timezone.now(), conditional=False,
                                  deadline=settings.CALSYNC_INTERACTIVE_DEADLINE))
            return redirect("calsync_unit_feeds", unit_id=unit.pk)
    calendar = export_calendar(unit=unit)
    return render(request, "calsync/unit_feeds.html", {
        "unit": unit, "form": form, "tab": "domains",
        "feeds": Feed.objects.filter(unit=unit).order_by("created_at", "pk"),
        "export_url": request.build_absolute_uri(reverse("ical_export", args=[calendar.token])),
        "calendar": calendar,
        "back_url": _back_url(unit),
    })


def _back_url(unit) -> str:
    if unit.lodging.kind == LodgingKind.CHAMBRES_HOTES:
        return reverse("calsync_lodging_rooms", args=[unit.lodging_id])
    return reverse("calsync_domain", args=[unit.lodging.domain_id])


@owner_required
@require_POST
def feed_sync(request: HttpRequest, unit_id: int, feed_id: int) -> HttpResponse:
    unit = _owned_unit(request, unit_id)
    feed = get_object_or_404(Feed.objects.select_related("unit"), pk=feed_id, unit=unit)
    _report(request, sync_feed(feed=feed, now=timezone.now(), conditional=False,
                                  deadline=settings.CALSYNC_INTERACTIVE_DEADLINE))
    return redirect("calsync_unit_feeds", unit_id=unit.pk)


@owner_required
@require_POST
def feed_delete(request: HttpRequest, unit_id: int, feed_id: int) -> HttpResponse:
    unit = _owned_unit(request, unit_id)
    feed = get_object_or_404(Feed, pk=feed_id, unit=unit)
    delete_feed(feed=feed)
    messages.success(request, _("Calendrier supprimé : les dates qu'il bloquait sont de nouveau libres."))
    return redirect("calsync_unit_feeds", unit_id=unit.pk)


@owner_required
@require_POST
def regenerate_link(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _owned_unit(request, unit_id)
    regenerate_token(unit=unit, now=timezone.now())
    messages.success(request, _("Nouveau lien créé. L'ancien ne fonctionne plus : collez le nouveau sur vos "
                                "autres plateformes."))
    return redirect("calsync_unit_feeds", unit_id=unit.pk)


# --- Room picker (chambres d'hôtes) -----------------------------------------------------------

@owner_required
def lodging_rooms(request: HttpRequest, lodging_id: int) -> HttpResponse:
    lodging = get_object_or_404(Lodging.objects.select_related("domain"), pk=lodging_id,
                                domain__owner=request.user)
    units = list(lodging.units.all().prefetch_related("calendar_feeds"))
    if len(units) == 1 and lodging.kind != LodgingKind.CHAMBRES_HOTES:
        return redirect("calsync_unit_feeds", unit_id=units[0].pk)
    return render(request, "calsync/lodging_rooms.html", {"lodging": lodging, "units": units, "tab": "domains"})


# --- The domain's sync view -------------------------------------------------------------------

# Months the calendar pages (a prior and a next link each side) can show: `date` stops at
# years 1 and 9999, so `?mois=9999-12` or `?mois=1-1` would overflow building the links.
MONTH_YEARS = range(2000, 2200)


def _month(request: HttpRequest) -> date:
    today = today_in_paris(timezone.now())
    try:
        year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
        if year in MONTH_YEARS:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


@owner_required
def domain_calendar(request: HttpRequest, domain_id: int) -> HttpResponse:
    domain = get_object_or_404(Domain, pk=domain_id, owner=request.user)
    month = _month(request)
    first, after = selectors.month_bounds(month)
    units = selectors.owner_units(request.user).filter(lodging__domain=domain).order_by("lodging__title",
                                                                                        "position", "pk")
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    unit_ids = [unit.pk for unit in page.object_list]
    return render(request, "calsync/domain_calendar.html", {
        "domain": domain, "tab": "domains", "page": page, "month": first,
        "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next": after.strftime("%Y-%m"),
        "units": selectors.domain_units_month(units.filter(pk__in=unit_ids), first),
        "weekdays": [_("lun."), _("mar."), _("mer."), _("jeu."), _("ven."), _("sam."), _("dim.")],
    })


@owner_required
@require_POST
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(DoubleBookingAlert, pk=alert_id, unit__lodging__domain__owner=request.user)
    resolve_alert(alert=alert, now=timezone.now())
    messages.success(request, _("Double réservation marquée comme traitée."))
    return HttpResponseRedirect(request.POST["next"] if _safe_next(request) else reverse("dashboard"))


def _safe_next(request: HttpRequest) -> bool:
    # A path only, redirected as is: `redirect("9999-12-31")` would try it as a view name (500).
    target = request.POST.get("next", "")
    return target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
