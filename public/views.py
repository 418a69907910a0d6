"""The travellers' site. Views parse input, call a selector, render; bad input is a
friendly message (HTML) or a 400 (API), never a 500."""
import hashlib
import time
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F
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

from . import fragments, pagecache, selectors, seo
from .cardhtml import result_list_html
from .cards import with_stay_totals
from .content import render_markup, render_offer_text
from .forms import FILTER_FIELDS, HONEYPOT, SEARCH_KEYS, ContactForm, SearchForm
from .maps import domain_map, map_points, static_map
from .models import Page
from .search import SearchQuery
from .search import search as run_search
from .services import send_contact_message

MAX_WINDOW_DAYS = 400
FILTER_CHOICES_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    def make() -> fragments.Fragment:
        form = _search_form(request, data=None)
        return _page_fragment("public/home.html", {
            "featured": selectors.featured_domains(),
            "form": form, "place_label": "", "seo": seo.for_home(request),
        }, depends=[fragments.HOME])

    return _render_fragment(request, "home", make, params=())


# {language: (until, choices)}: emptied in this process by any write of a label or an
# amenity (public/apps.py); another process sees the write within FILTER_CHOICES_SECONDS.
_kept_filter_choices: dict[str, tuple[float, tuple[list, list]]] = {}


def _filter_choices() -> tuple[list, list]:
    """Labels and amenities offered as filters: they change rarely, so each process keeps
    them a minute instead of two queries on every search, in its own memory (a cache read
    was ~0.1 ms of a search's CPU, issue 14)."""
    language = get_language() or "fr"
    now = time.monotonic()
    kept = _kept_filter_choices.get(language)
    if kept is not None and kept[0] > now:
        return kept[1]
    choices = (list(Label.objects.filter(is_active=True).values_list("slug", "name")),
               [(amenity.code, amenity.name_in(language)) for amenity in Amenity.objects.all()])
    _kept_filter_choices[language] = (now + FILTER_CHOICES_SECONDS, choices)
    return choices


def forget_filter_choices(**_kwargs) -> None:
    _kept_filter_choices.clear()


def _search_form(request: HttpRequest, *, data) -> SearchForm:
    labels, amenities = _filter_choices()
    return SearchForm(data, labels=labels, amenities=amenities, today=today_in_paris(timezone.now()))


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """An anonymous visitor's repeated search never reaches here: public.pagecache serves it."""
    unknown = sorted(set(request.GET) - SEARCH_KEYS)
    form = _search_form(request, data=request.GET if request.GET else None)
    title = _("Expériences au cœur du patrimoine") if request.GET.get("kind") == "experience" else _(
        "Séjours au cœur du patrimoine")
    context = {"form": form, "unknown_filters": unknown, "result": None,
               "seo": seo.for_search(request, title=title, filters=request.GET.dict())}
    if form.is_bound and not form.is_valid():
        context.update(place_label=request.GET.get("ou", "")[:120],
                       filters_open=any(form[name].errors for name in FILTER_FIELDS))
        return render(request, "public/search.html", context, status=400)
    query = form.to_query() if form.is_bound else SearchQuery()
    result = _cached_search(request, query)
    points = map_points(result.rows)
    # The searched dates travel to the lodging page, where its calendar opens on them.
    stay_link_suffix = (f"?arrivee={query.arrival}&depart={query.departure}&chambre="
                        if query.kind == "stay" and query.arrival else "")
    rows = with_stay_totals(result.rows, query) if query.kind == "stay" else result.rows
    context.update(query=query, result=result, cards_html=result_list_html(rows, link_suffix=stay_link_suffix),
                   points=points,
                   tiles_url=settings.MAP_TILES_URL, static_map=static_map(points, focus=query.departement),
                   page_links=_page_links(request, result),
                   place_label=form.place_label() if form.is_bound else "",
                   active_filters=form.active_filters() if form.is_bound else 0)
    return render(request, "public/search.html", context)


def _cached_search(request: HttpRequest, query: SearchQuery):
    """Results of the same search are kept a few seconds (docs/development.md#measure: free when traffic
    is random, a multiplier when it is not). The booking step checks availability again.
    A get, then a set on a miss: get_or_set would add, then read the results back (two
    more Redis commands and an unpickling, ~0.2 ms of CPU)."""
    key = "public:search:" + hashlib.sha256(
        f"{pagecache.catalogue_version(request)}|{get_language()}|{settings.SEARCH_PAGE_SIZE}|{query!r}".encode()
    ).hexdigest()
    result = cache.get(key)
    if result is None:
        result = run_search(query, now=timezone.now(), page_size=settings.SEARCH_PAGE_SIZE)
        cache.set(key, result, settings.SEARCH_CACHE_SECONDS)
    return result


def _page_links(request: HttpRequest, result) -> dict:
    def link(page: int) -> str:
        params = request.GET.copy()
        params["page"] = str(page)
        return "?" + params.urlencode()

    return {"previous": link(result.page - 1) if result.has_previous else "",
            "next": link(result.page + 1) if result.has_next else "", "first": link(1)}


# Long lists on the offer pages come by pages (issue 14: a domain with 500 lodgings took
# 1.2 s to render whole). Each list has its own parameter, so paging one keeps the others.
LODGINGS_PER_PAGE = 12
EXPERIENCES_PER_PAGE = 12
UNITS_PER_PAGE = 20
SESSIONS_PER_PAGE = 20


def _paged(request: HttpRequest, objects, *, per_page: int, param: str, anchor: str,
           number: int | None = None) -> tuple[list, dict]:
    """One page of `objects` and its links for public/_pagination.html (empty when one page).
    Most offers fit on one page: the first page is read with one row more, and only a longer
    list pays for the paginator's COUNT."""
    number = number or request.GET.get(param, "1")
    if str(number) == "1":
        first = list(objects[:per_page + 1])
        if len(first) <= per_page:
            return first, {}
    page = Paginator(objects, per_page).get_page(number)

    def link(number: int) -> str:
        params = request.GET.copy()
        params[param] = str(number)
        return f"?{params.urlencode()}#{anchor}"

    links = {"number": page.number, "total": page.paginator.num_pages,
             "previous": link(page.previous_page_number()) if page.has_previous() else "",
             "next": link(page.next_page_number()) if page.has_next() else ""}
    return list(page.object_list), links if page.has_other_pages() else {}


# --- Offer pages: their content as cached fragments (public/fragments.py) ------------------

def _render_fragment(request: HttpRequest, name: str, make, *, params: tuple[str, ...]) -> HttpResponse:
    """The page's frame (menu, messages, language links: the visitor's) around the content
    of fragment `name`. Only the paging parameters `params` (digits) are part of a
    fragment's key; a page asked with any other (dates picked for a room) is rendered for
    its visitor alone."""
    extra = set(request.GET) - set(params)
    values = [(param, request.GET[param]) for param in params if param in request.GET]
    if extra or any(not value.isdigit() or len(value) > 4 for _param, value in values):
        parts = make().parts
    else:
        path = request.path + "?" + "&".join(f"{param}={value}" for param, value in values)
        parts = fragments.get_or_render(name, path, make)
    return render(request, "public/offer_frame.html", parts)


def _page_fragment(template_name: str, context: dict, *, depends: list[str], until: float | None = None,
                   ) -> fragments.Fragment:
    """The page's blocks rendered without the request (no visitor in them): the content,
    its <title>, the head's and the scripts' extras, and the SEO head as plain strings."""
    context = {**context, "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE}
    parts = {name: _block(template_name, name, context) for name in ("title", "head_extra", "content", "scripts")}
    # The SEO head as HTML (templates/site/base.html prints `seo_html` as it is).
    parts["seo_html"] = context["seo"].html()
    return fragments.Fragment(parts=parts, depends=depends, until=until)


def _block(template_name: str, name: str, context: dict) -> str:
    from django.template import Context
    from django.template.loader import get_template
    from django.template.loader_tags import ExtendsNode

    template = get_template(template_name).template
    extends = template.nodelist.get_nodes_by_type(ExtendsNode)[0]
    block = extends.blocks.get(name)
    if block is None:
        return ""
    context = Context(context, autoescape=template.engine.autoescape)
    with context.render_context.push_state(template), context.bind_template(template):
        context.template_name = template.name
        return block.render(context)


def _offer_depends(domain) -> list[str]:
    return [fragments.domain(domain.pk), fragments.owner(domain.owner_id)]


def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_fragment(request, "domain", lambda: _domain_fragment(request, slug),
                            params=("hebergements", "experiences", "avis"))


def _domain_fragment(request: HttpRequest, slug: str) -> fragments.Fragment:
    domain = selectors.domain_for_page(slug)
    domain.public_lodgings, lodgings_pages = _paged(request, selectors.domain_lodgings(domain),
                                                    per_page=LODGINGS_PER_PAGE, param="hebergements", anchor="stays")
    domain.public_experiences, experiences_pages = _paged(
        request, selectors.domain_experiences(domain), per_page=EXPERIENCES_PER_PAGE, param="experiences",
        anchor="experiences")
    reviews = reviews_page(domain=domain, page=request.GET.get("avis"))
    return _page_fragment("public/domain.html", {
        "domain": domain, "story": render_offer_text(domain, "history"), "lodgings_pages": lodgings_pages,
        "experiences_pages": experiences_pages, "location_map": domain_map(domain), **reviews,
        "seo": seo.for_domain(request, domain, summary=reviews["summary"])}, depends=_offer_depends(domain))


def lodging_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_fragment(request, "lodging", lambda: _lodging_fragment(request, slug),
                            params=("chambres", "avis"))


def _lodging_fragment(request: HttpRequest, slug: str) -> fragments.Fragment:
    lodging = selectors.lodging_for_page(slug)
    chosen = _chosen_stay(request, lodging)
    # Dates picked for a room open the page of rooms that shows it.
    number = (selectors.unit_position(chosen["unit"]) // UNITS_PER_PAGE + 1
              if chosen.get("unit") and "chambres" not in request.GET else None)
    units, units_pages = _paged(request, selectors.lodging_units(lodging), per_page=UNITS_PER_PAGE,
                                param="chambres", anchor="units-title", number=number)
    reviews = reviews_page(lodging=lodging, page=request.GET.get("avis"))
    # The booking box chooses among every room, and the JSON-LD's offers span them all: read
    # them all only when they span pages.
    lodging.public_units = list(selectors.lodging_units(lodging)) if units_pages else units
    return _page_fragment("public/lodging.html", {
        **lodging_page_context(lodging, units=units, chosen=chosen, box_units=lodging.public_units),
        "units_pages": units_pages, **reviews,
        "seo": seo.for_lodging(request, lodging, summary=reviews["summary"]),
    }, depends=[*_offer_depends(lodging.domain), fragments.lodging(lodging.pk)])


def lodging_page_context(lodging, *, units: list, chosen: dict, box_units: list | None = None,
                         preview: bool = False) -> dict:
    """What public/_lodging_body.html needs, for the page and for the owner's preview at the
    "Soumettre" step (domains.wizard). `units`: the page of rooms listed; `box_units`: every
    listed unit, for the booking box's choice (the units list below is paginated)."""
    box_units = units if box_units is None else box_units
    return {
        "lodging": lodging, "domain": lodging.domain, "units": units, "box_units": box_units, "chosen": chosen,
        "preview": preview, "today": today_in_paris(timezone.now()),
        "price_from": min((unit.nightly_price for unit in box_units), default=None),
        "box_adults_max": max((unit.adults_capacity for unit in box_units), default=1),
        "box_children_max": max((unit.children_capacity for unit in box_units), default=0),
        "description": render_offer_text(lodging, "description"), "rules": render_offer_text(lodging, "house_rules"),
    }


def _chosen_stay(request: HttpRequest, lodging) -> dict:
    """Dates picked without JavaScript (or carried from the search): the server-side quote,
    for the booking box's party or the smallest one (the booking form asks again and checks)."""
    if not {"arrivee", "depart", "chambre"} <= set(request.GET):
        return {}
    # The chosen room, even when it is not on the page of rooms shown.
    chosen = request.GET["chambre"]
    unit = selectors.lodging_units(lodging).filter(pk=chosen).first() if chosen.isdigit() else None
    try:
        arrival, departure = date.fromisoformat(request.GET["arrivee"]), date.fromisoformat(request.GET["depart"])
    except ValueError:
        return {"error": _("Ces dates ne sont pas valables : choisissez-les dans le calendrier.")}
    if unit is None or departure <= arrival or (departure - arrival).days > MAX_WINDOW_DAYS:
        return {"error": _("Ces dates ne sont pas valables : choisissez-les dans le calendrier.")}
    adults, children = _party(request.GET.get("adultes", "1"), request.GET.get("enfants", "0"))
    unit.lodging = lodging
    return {"unit": unit, "unit_id": unit.pk, "arrival": arrival, "departure": departure, "adults": adults,
            "children": children, "quote": _breakdown(unit, arrival, departure, adults=adults, children=children),
            "problem": _stay_problem(unit, arrival, departure, adults=adults, children=children)[0]}


def _party(adults: str, children: str) -> tuple[int, int]:
    """The booking box's guests (the smallest party when unreadable: the checkout asks again)."""
    adults_n = int(adults) if adults.isdigit() and len(adults) < 3 else 1
    children_n = int(children) if children.isdigit() and len(children) < 3 else 0
    return max(adults_n, 1), children_n


def experience_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_fragment(request, "experience", lambda: _experience_fragment(request, slug),
                            params=("seances", "avis"))


def _experience_fragment(request: HttpRequest, slug: str) -> fragments.Fragment:
    experience = selectors.experience_for_page(slug)
    now = timezone.now()
    upcoming = selectors.upcoming_sessions(experience, now=now)
    sessions, sessions_pages = _paged(request, upcoming, per_page=SESSIONS_PER_PAGE, param="seances",
                                      anchor="sessions")
    reviews = reviews_page(experience=experience, page=request.GET.get("avis"))
    context = {
        **experience_page_context(experience, sessions=sessions,
                                  box_sessions=upcoming.filter(capacity__gt=F("places_taken"))[:BOX_SESSIONS]),
        "sessions_pages": sessions_pages, **reviews,
        "seo": seo.for_experience(request, experience, sessions=sessions, summary=reviews["summary"]),
    }
    # The sessions shown change with the hour: the fragment ends when the first one starts
    # (it leaves the list) or when the next one enters the three months listed.
    until = None
    if fragments.enabled():
        starts = [start for start in (selectors.first_upcoming_start(experience, now=now),
                                      selectors.next_start_beyond(experience, now=now)) if start]
        until = min((start.timestamp() for start in starts), default=None)
    return _page_fragment("public/experience.html", context, until=until,
                          depends=[*_offer_depends(experience.domain), fragments.experience(experience.pk)])


BOX_SESSIONS = 6


def experience_page_context(experience, *, sessions: list, box_sessions=None, preview: bool = False) -> dict:
    """What public/_experience_body.html needs, for the page and the owner's preview. The
    booking box lists the next sessions that still have places (`box_sessions`; by default
    taken from `sessions`, the page of sessions listed)."""
    if box_sessions is None:
        box_sessions = [session for session in sessions if session.places_left][:BOX_SESSIONS]
    return {
        "experience": experience, "domain": experience.domain, "sessions": sessions, "preview": preview,
        "box_sessions": list(box_sessions),
        "languages": _language_names(experience.languages),
        "description": render_offer_text(experience, "description"),
    }


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
    context = {"page": page, "body": render_markup(page.body),
               "seo": seo.for_page(request, title=page.title, description=page.meta_description, og_type="article")}
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
            return render(request, "public/contact.html", {"form": form, "honeypot": HONEYPOT, "seo": _contact_seo(request)},
                          status=429)
        send_contact_message(message=form.save(commit=False), user=request.user)
        messages.success(request, _("Merci, votre message est bien parti. Nous vous répondons par e-mail."))
        return redirect("contact")
    return render(request, "public/contact.html", {"form": form, "honeypot": HONEYPOT, "seo": _contact_seo(request)},
                  status=400 if form.errors else 200)


def _contact_seo(request: HttpRequest) -> seo.SeoHead:
    return seo.for_page(request, title=_("Nous contacter"), description=_(
        "Écrivez à l'équipe Alma Heritage : nouveau propriétaire, double réservation, réclamation sur un avis…"))


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
    private = ["tableau-de-bord/", "comptes/", "mon-compte/", "mes-voyages/", "paiement/", "reserver/", "api/",
               "apercu/"]
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/",
             *(f"Disallow: /{code}/{path}" for code, _name in settings.LANGUAGES for path in private),
             f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
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
