"""The travellers' site. Views parse input, call a selector, render; bad input is a
friendly message (HTML) or a 400 (API), never a 500."""
import hashlib
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bookings.availability import unit_is_free
from bookings.pricing import describe_lines, stay_price, stay_tax, tax_line
from bookings.rules import stay_problem
from bookings.services import DatesUnavailable
from core import ratelimit
from core.clientip import client_ip
from core.dates import today_in_paris
from core.money import format_eur, from_cents
from domains.models import Label
from lodgings.models import Amenity
from reviews.selectors import public_page as reviews_page

from . import pagecache, selectors
from .content import render_markup
from .formhtml import FastFields
from .forms import HONEYPOT, SEARCH_KEYS, ContactForm, SearchForm
from .maps import map_points, static_map
from .models import Page
from .search import SearchQuery
from .search import search as run_search
from .services import send_contact_message

MAX_WINDOW_DAYS = 400
FILTER_CHOICES_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    form = _search_form(request, data=None)
    return render(request, "public/home.html", {
        "featured": selectors.featured_domains(),
        "form": form, "fields": FastFields(form),
    })


def _filter_choices() -> tuple[list, list]:
    """Labels and amenities offered as filters: they change rarely, so each process keeps
    them a minute instead of two queries on every search."""
    language = get_language() or "fr"

    def load():
        return (list(Label.objects.filter(is_active=True).values_list("slug", "name")),
                [(amenity.code, amenity.name_in(language)) for amenity in Amenity.objects.all()])

    return cache.get_or_set(f"public:search-filter-choices:{language}", load, FILTER_CHOICES_SECONDS)


def _search_form(request: HttpRequest, *, data) -> SearchForm:
    labels, amenities = _filter_choices()
    return SearchForm(data, labels=labels, amenities=amenities, today=today_in_paris(timezone.now()))


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    place, cached = pagecache.lookup(request)
    if cached is not None:
        return cached
    return pagecache.keep_page(place, _search_page(request))


def _search_page(request: HttpRequest) -> HttpResponse:
    unknown = sorted(set(request.GET) - SEARCH_KEYS)
    form = _search_form(request, data=request.GET if request.GET else None)
    context = {"form": form, "fields": FastFields(form), "unknown_filters": unknown, "result": None}
    if form.is_bound and not form.is_valid():
        return render(request, "public/search.html", context, status=400)
    query = form.to_query() if form.is_bound else SearchQuery()
    result = _cached_search(query)
    points = map_points(result.rows)
    # The searched dates travel to the lodging page, where its calendar opens on them.
    stay_link_suffix = (f"?arrivee={query.arrival}&depart={query.departure}&chambre="
                        if query.kind == "stay" and query.arrival else "")
    context.update(query=query, result=result, points=points, stay_link_suffix=stay_link_suffix, tiles_url=settings.MAP_TILES_URL,
                   tiles_attribution=settings.MAP_TILES_ATTRIBUTION, static_map=static_map(points),
                   page_links=_page_links(request, result))
    return render(request, "public/search.html", context)


def _cached_search(query: SearchQuery):
    """Results of the same search are kept a few seconds (docs/development.md#measure: free when traffic
    is random, a multiplier when it is not). The booking step checks availability again."""
    key = "public:search:" + hashlib.sha256(
        f"{pagecache.catalogue_version()}|{get_language()}|{settings.SEARCH_PAGE_SIZE}|{query!r}".encode()).hexdigest()
    return cache.get_or_set(key, lambda: run_search(query, now=timezone.now(), page_size=settings.SEARCH_PAGE_SIZE),
                            settings.SEARCH_CACHE_SECONDS)


def _page_links(request: HttpRequest, result) -> dict:
    def link(page: int) -> str:
        params = request.GET.copy()
        params["page"] = str(page)
        return "?" + params.urlencode()

    return {"previous": link(result.page - 1) if result.has_previous else "",
            "next": link(result.page + 1) if result.has_next else "", "first": link(1)}


def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = selectors.domain_for_page(slug)
    return render(request, "public/domain.html", {"domain": domain, "story": render_markup(domain.history),
                                                  **reviews_page(domain=domain, page=request.GET.get("avis"))})


def lodging_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lodging = selectors.lodging_for_page(slug)
    return render(request, "public/lodging.html", {
        "lodging": lodging, "domain": lodging.domain, "units": lodging.public_units,
        "chosen": _chosen_stay(request, lodging),
        "today": today_in_paris(timezone.now()), "description": render_markup(lodging.description),
        "rules": render_markup(lodging.house_rules),
        **reviews_page(lodging=lodging, page=request.GET.get("avis")),
    })


def _chosen_stay(request: HttpRequest, lodging) -> dict:
    """Dates picked without JavaScript (or carried from the search): the server-side quote,
    for the smallest party (the booking form asks the guests and checks them)."""
    if not {"arrivee", "depart", "chambre"} <= set(request.GET):
        return {}
    units = {str(unit.pk): unit for unit in lodging.public_units}
    unit = units.get(request.GET["chambre"])
    try:
        arrival, departure = date.fromisoformat(request.GET["arrivee"]), date.fromisoformat(request.GET["depart"])
    except ValueError:
        return {"error": _("Ces dates ne sont pas valables : choisissez-les dans le calendrier.")}
    if unit is None or departure <= arrival or (departure - arrival).days > MAX_WINDOW_DAYS:
        return {"error": _("Ces dates ne sont pas valables : choisissez-les dans le calendrier.")}
    unit.lodging = lodging
    return {"unit_id": unit.pk, "arrival": arrival, "departure": departure,
            "quote": _breakdown(unit, arrival, departure),
            "problem": _stay_problem(unit, arrival, departure, adults=1, children=0)[0]}


def experience_detail(request: HttpRequest, slug: str) -> HttpResponse:
    experience = selectors.experience_for_page(slug, now=timezone.now())
    return render(request, "public/experience.html", {
        "experience": experience, "domain": experience.domain, "sessions": experience.upcoming,
        "languages": _language_names(experience.languages), "description": render_markup(experience.description),
        **reviews_page(experience=experience, page=request.GET.get("avis")),
    })


def _language_names(codes: str) -> list[str]:
    names = []
    for code in filter(None, (c.strip().lower() for c in codes.split(","))):
        try:
            names.append(get_language_info(code)["name_translated"])
        except KeyError:
            names.append(code)
    return names


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    context = {"page": page, "body": render_markup(page.body)}
    if slug == "partenaires":
        total, given = selectors.donations_total()
        context["donations"] = [(foundation, from_cents(foundation.cents)) for foundation in given]
        context["donations_total"] = from_cents(total)
    return render(request, "public/page.html", context)


def contact(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    if request.GET.get("objet"):
        initial["subject"] = request.GET["objet"]
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not _contact_allowed(request):
            form.add_error(None, _("Vous avez envoyé beaucoup de messages en peu de temps : réessayez dans "
                                   "quelques minutes, ou appelez-nous."))
            return render(request, "public/contact.html", {"form": form, "honeypot": HONEYPOT}, status=429)
        send_contact_message(message=form.save(commit=False), user=request.user)
        messages.success(request, _("Merci, votre message est bien parti. Nous vous répondons par e-mail."))
        return redirect("contact")
    return render(request, "public/contact.html", {"form": form, "honeypot": HONEYPOT},
                  status=400 if form.errors else 200)


def _contact_allowed(request: HttpRequest) -> bool:
    """CONTACT_RATE_LIMIT messages per CONTACT_RATE_PERIOD, per address and per session
    (None: no limit, the test settings' default)."""
    limit = settings.CONTACT_RATE_LIMIT
    if limit is None:
        return True
    if not request.session.session_key:
        request.session.save()
    period = settings.CONTACT_RATE_PERIOD
    by_address = ratelimit.allow(f"contact:ip:{client_ip(request)}", limit=limit, period=period)
    by_session = ratelimit.allow(f"contact:session:{request.session.session_key}", limit=limit, period=period)
    return by_address and by_session


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /tableau-de-bord/", "Disallow: /comptes/",
             "Disallow: /mon-compte/", "Disallow: /api/", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says (PDFs, JSON): send them to the icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


# --- JSON API ---------------------------------------------------------------------------

def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _parse_window(request: HttpRequest, first: str, second: str) -> tuple[date, date] | str:
    try:
        start, end = date.fromisoformat(request.GET[first]), date.fromisoformat(request.GET[second])
    except (KeyError, ValueError):
        return _("Indiquez les dates au format AAAA-MM-JJ.")
    if end <= start:
        return _("La date de fin doit suivre la date de début.")
    return start, end


@require_GET
def unit_availability(request: HttpRequest, unit_id: int) -> JsonResponse:
    """docs/product.md#availability: {"unit": id, "unavailable": [[start, end], …]}, merged, half-open."""
    window = _parse_window(request, "start", "end")
    if isinstance(window, str):
        return _bad_request(window)
    start, end = window
    if (end - start).days > MAX_WINDOW_DAYS:
        return _bad_request(_("La période demandée dépasse %(n)s jours.") % {"n": MAX_WINDOW_DAYS})
    ranges = selectors.listed_unit_occupied(unit_id, start, end)
    return JsonResponse({"unit": unit_id, "unavailable": [[a.isoformat(), b.isoformat()] for a, b in ranges]})


def _breakdown(unit, arrival: date, departure: date, *, adults: int = 1, children: int = 0) -> dict:
    """The price the bookings app will freeze (bookings.pricing), with labels in the active
    language, and the taxe de séjour of the party as its own line (in the total)."""
    quote = stay_price(unit, arrival, departure)
    tax = stay_tax(unit, arrival, departure, max(adults, 1), children)
    lines = [{"label": line["label"], "amount": "" if line["amount"] is None else str(line["amount"]),
              "display": line.get("note") or format_eur(line["amount"])}
             for line in describe_lines(quote.lines) + tax_line(tax)]
    total = quote.total + tax.collected
    return {"lines": lines, "total": str(total), "total_display": format_eur(total)}


@require_GET
def unit_quote(request: HttpRequest, unit_id: int) -> JsonResponse:
    """The price breakdown of a stay (?arrival=&departure=[&adults=&children=]), and whether
    the unit can be booked for it: 200 if so; else the stay rule's sentence as "problem"
    (bookings.rules, the words of the booking form) with 422, or 409 when the dates are taken.
    The breakdown comes with both, so the page shows the price beside the reason."""
    stay = _parse_stay(request)
    if isinstance(stay, str):
        return _bad_request(stay)
    arrival, departure, adults, children = stay
    if (departure - arrival).days > MAX_WINDOW_DAYS:
        return _bad_request(_("La période demandée dépasse %(n)s jours.") % {"n": MAX_WINDOW_DAYS})
    unit = selectors.unit_for_api(unit_id, with_lodging=True)
    problem, status = _stay_problem(unit, arrival, departure, adults=adults, children=children)
    if departure <= arrival:  # no price to show
        return JsonResponse({"error": problem, "problem": problem, "bookable": False}, status=400)
    return JsonResponse({"unit": unit.pk, "arrival": arrival.isoformat(), "departure": departure.isoformat(),
                         "nights": (departure - arrival).days,
                         **_breakdown(unit, arrival, departure, adults=adults, children=children),
                         "bookable": problem is None, "problem": problem or ""}, status=status)


def _parse_stay(request: HttpRequest) -> tuple[date, date, int, int] | str:
    try:
        arrival, departure = date.fromisoformat(request.GET["arrival"]), date.fromisoformat(request.GET["departure"])
    except (KeyError, ValueError):
        return _("Indiquez les dates au format AAAA-MM-JJ.")
    try:
        adults, children = int(request.GET.get("adults", 1)), int(request.GET.get("children", 0))
    except ValueError:
        return _("Indiquez le nombre de voyageurs en chiffres.")
    if not (0 <= adults <= 99 and 0 <= children <= 99):
        return _("Indiquez le nombre de voyageurs en chiffres.")
    return arrival, departure, adults, children


def _stay_problem(unit, arrival: date, departure: date, *, adults: int, children: int) -> tuple[str | None, int]:
    """The booking's own rules (bookings.rules), then availability, with the API status."""
    problem = stay_problem(unit=unit, arrival=arrival, departure=departure, adults=adults, children=children,
                           today=today_in_paris(timezone.now()))
    if problem:
        return problem, 422
    if not unit_is_free(unit, arrival, departure):
        return str(DatesUnavailable.default_message), 409
    return None, 200
