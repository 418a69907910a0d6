"""The « Réservations » and « Clients » pages written from Python (bookings/templatetags/
bookings_page.py, issue 14) are the pages their templates wrote: the former templates and
views are kept here, rendered beside the new ones on the same request, and compared
character for character (the CSRF token aside: each `get_token()` masks it anew), for
every filter, search, page, empty state, export state, reported booking, request to
answer, in French and English, with names holding markup."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db.models import Count
from django.template import engines
from django.test import override_settings
from django.utils import timezone, translation

from bookings import dashboard_views, selectors
from bookings.models import Booking, BookingStatus, CancelledBy
from conftest import make_user
from core.paginator import DeferredJoinPaginator
from exports.models import ExportJob

from .dashboard_factories import NOW, make_booking, make_session, make_unit

pytestmark = pytest.mark.django_db

OLD_BOOKINGS = '''{% extends "dashboard/base.html" %}
{% load money %}
{% load i18n exports_tags reports_tags %}
{% load help_tags booking_table %}
{% block title %}{% translate "Réservations" %}{% endblock %}
{% block content %}
<div class="page-head">
  <h1>{% translate "Réservations" %}</h1>{% help_link "etat-des-reservations" %}
  {% include "bookings/dashboard/_export_form.html" with export_kind="bookings" %}
</div>
{% include "reports/includes/reports_link.html" %}
{% recent_exports "bookings" %}

<nav class="filter-tabs" aria-label="{% translate 'Trier les réservations' %}">
  <ul>
  {% for key, label, count in filters %}
    <li><a href="?filtre={{ key }}{% if query %}&amp;q={{ query|urlencode }}{% endif %}" {% if key == list_filter %}aria-current="page"{% endif %}>{{ label }} <span class="count">({{ count }})</span></a></li>
  {% endfor %}
  </ul>
</nav>

<form method="get" class="list-search" role="search">
  <input type="hidden" name="filtre" value="{{ list_filter }}">
  <label for="booking-search">{% translate "Rechercher une référence ou un voyageur" %}</label>
  <input type="search" id="booking-search" name="q" value="{{ query }}">
  <button type="submit" class="button button-small">{% translate "Rechercher" %}</button>
  {% if query %}<a href="?filtre={{ list_filter }}">{% translate "Effacer la recherche" %}</a>{% endif %}
</form>

<div class="status-legend">
  <h2 id="legend-title" class="legend-title">{% translate "Légende" context "couleurs des statuts" %}</h2>
  <ul aria-labelledby="legend-title">
    {% for state in legend %}<li><span class="status-pill status-{{ state.code }}">{{ state.label }}</span></li>{% endfor %}
  </ul>
</div>

{% if rows %}
<div class="table-wrap" tabindex="0" role="region" aria-label="{% translate "Tableau, défilable horizontalement" %}">
<table class="data bookings-table">
  <caption>{{ filter_label }}{% if query %} · « {{ query }} »{% endif %} · {% blocktranslate count counter=page.paginator.count %}{{ counter }} réservation{% plural %}{{ counter }} réservations{% endblocktranslate %}</caption>
  <thead>
    <tr>
      <th scope="col">{% translate "Statut" %}</th>
      <th scope="col">{% translate "Référence" %}</th>
      <th scope="col">{% translate "Offre" %}</th>
      <th scope="col">{% translate "Dates" %}</th>
      <th scope="col">{% translate "Voyageurs" %}</th>
      <th scope="col" class="num">{% translate "Total" %}</th>
      <th scope="col">{% translate "Voyageur" %}</th>
      <th scope="col">{% translate "Actions" %}</th>
    </tr>
  </thead>
  <tbody>
  {% reported_bookings rows as reported %}
  {% booking_table_rows rows reported %}
  </tbody>
</table>
</div>
{% include "bookings/dashboard/_pagination.html" %}
{% else %}
<div class="empty-state"><p>{{ empty_text }}</p></div>
{% endif %}
{% endblock %}
'''

OLD_CLIENTS = '''{% extends "dashboard/base.html" %}
{% load i18n exports_tags %}
{% load booking_table %}
{% load help_tags %}
{% block title %}{% translate "Clients" %}{% endblock %}
{% block content %}
<div class="page-head">
  <h1>{% translate "Clients" %}</h1>{% help_link "echanger-avec-les-voyageurs" %}
  {% include "bookings/dashboard/_export_form.html" with export_kind="clients" %}
</div>
{% recent_exports "clients" %}
<p class="lead-small">{% translate "Les voyageurs de vos réservations confirmées, avec leurs coordonnées si vous avez besoin de les joindre." %}</p>

<form method="get" class="list-search" role="search">
  <label for="client-search">{% translate "Rechercher un client (nom, e-mail, téléphone)" %}</label>
  <input type="search" id="client-search" name="q" value="{{ query }}">
  <button type="submit" class="button button-small">{% translate "Rechercher" %}</button>
  {% if query %}<a href="?">{% translate "Effacer la recherche" %}</a>{% endif %}
</form>

{% if page.object_list %}
<div class="table-wrap" tabindex="0" role="region" aria-label="{% translate "Tableau, défilable horizontalement" %}">
<table class="data clients-table">
  <caption>{% blocktranslate count counter=page.paginator.count %}{{ counter }} client{% plural %}{{ counter }} clients{% endblocktranslate %}</caption>
  <thead>
    <tr>
      <th scope="col">{% translate "Nom" %}</th>
      <th scope="col">{% translate "Courriel" %}</th>
      <th scope="col">{% translate "Téléphone" %}</th>
      <th scope="col" class="num">{% translate "Réservations confirmées" %}</th>
      <th scope="col">{% translate "Dernier séjour" %}</th>
    </tr>
  </thead>
  <tbody>
  {% client_table_rows page.object_list %}
  </tbody>
</table>
</div>
{% include "bookings/dashboard/_pagination.html" %}
{% else %}
<div class="empty-state"><p>{% if query %}{% blocktranslate %}Aucun client ne correspond à « {{ query }} ».{% endblocktranslate %}{% else %}{% translate "Aucun client pour le moment : les voyageurs de vos réservations confirmées apparaîtront ici." %}{% endif %}</p></div>
{% endif %}
{% endblock %}
'''


def _old_bookings_context(request):
    """The view as it was: the ORM for counts and pages, model instances for the rows."""
    from bookings.selectors import ROW_STATES, ListFilter
    now = timezone.now()
    today = timezone.localdate(now)
    list_filter, query = ListFilter.clean(request.GET.get("filtre")), request.GET.get("q", "").strip()[:100]
    bookings = selectors.owner_bookings(owner=request.user, list_filter=list_filter, query=query, today=today)
    aggregates = {key: Count("id", filter=selectors.filter_condition(key, today=today))
                  for key, _label in ListFilter.choices}
    counts = Booking.objects.filter(owner=request.user).aggregate(**aggregates)
    page = DeferredJoinPaginator(selectors.owner_booking_values(bookings), dashboard_views.PAGE_SIZE,
                                 count=None if query else counts[list_filter]).get_page(request.GET.get("page"))
    return {
        "tab": "bookings", "page": page, "rows": dashboard_views._rows(
            Booking.objects.filter(pk__in=[values[0] for values in page.object_list]).select_related(
                "traveller", "unit__lodging__domain", "session__experience__domain")
            .order_by(*selectors.FILTER_ORDERING[list_filter]), now=now),
        "query": query, "list_filter": list_filter, "filter_label": ListFilter.label(list_filter),
        "filters": [(key, label, counts[key]) for key, label in ListFilter.choices],
        "legend": ROW_STATES, "export_formats": dashboard_views.EXPORT_FORMATS,
        "export_in_worker": page.paginator.count > dashboard_views.settings.EXPORT_SYNC_MAX_ROWS_PDF,
        "export_params": [("filtre", list_filter), ("q", query)],
        "empty_text": dashboard_views._empty_text(list_filter, query),
    }


def _old_clients_context(request):
    query = request.GET.get("q", "").strip()[:100]
    clients = selectors.owner_clients(owner=request.user, query=query)
    page = Paginator(clients, dashboard_views.PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "tab": "clients", "page": page, "query": query, "export_formats": dashboard_views.EXPORT_FORMATS,
        "export_params": [("q", query)],
        "export_in_worker": page.paginator.count > dashboard_views.settings.EXPORT_SYNC_MAX_ROWS_PDF,
    }


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _same_page(client, url: str, params: dict, old_template: str, old_context) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    new = response.content.decode()
    request = response.wsgi_request
    old = engines["django"].from_string(old_template).render(old_context(request), request)
    new, old = _TOKEN.sub("TOKEN", new), _TOKEN.sub("TOKEN", old)
    if new != old:
        import difflib
        diff = "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), "template", "python", lineterm=""))
        pytest.fail(f"{url} {params}:\n{diff[:6000]}")
    return new


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def many(owner, traveller):
    """Every state, names and offers holding markup, 40 bookings (two pages of each long
    filter), a reported traveller, exports of every status."""
    from reports.models import TravellerReport

    traveller.first_name, traveller.last_name = '<b>Zoé</b> "d\'Aubigné"', "& Cie"
    traveller.save()
    other = make_user("sans-nom@example.fr")  # no name: the email shows
    units = [make_unit(owner, name='Château <i>"Talcy"</i>', room=f"Chambre {n}") for n in range(6)]
    units.append(make_unit(owner, lodging="Le Pavillon", room="Le Pavillon"))  # room named as its lodging
    session = make_session(owner)
    made = []
    statuses = [BookingStatus.CONFIRMED, BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT,
                BookingStatus.CHECKOUT, BookingStatus.CANCELLED, BookingStatus.REFUSED, BookingStatus.EXPIRED]
    for n in range(40):
        status = statuses[n % len(statuses)]
        extra = {"refunded": "50.00", "cancelled_by": CancelledBy.OWNER} if status == BookingStatus.CANCELLED else {}
        if n % 9 == 4:
            extra["respond_by"] = NOW + timedelta(minutes=20) if status == BookingStatus.REQUESTED else None
        if n % 5 == 3:
            made.append(make_booking(traveller=other, session=session, status=status, **{
                k: v for k, v in extra.items() if k != "respond_by"}))
        else:
            arrival = NOW.date() + timedelta(days=-30 + 4 * n)
            made.append(make_booking(traveller=traveller if n % 2 else other, unit=units[n % len(units)],
                                     status=status, arrival=arrival, total=f"{1000 + 37 * n}.50", **extra))
    # The confirmed ones around today: ongoing, arriving today, left today.
    made.append(make_booking(traveller=traveller, unit=make_unit(owner), arrival=NOW.date() - timedelta(days=1),
                             departure=NOW.date() + timedelta(days=1)))
    confirmed = next(b for b in made if b.status == BookingStatus.CONFIRMED and b.traveller == traveller)
    TravellerReport.objects.create(booking=confirmed, owner=owner, traveller=traveller, category="damage",
                                   description="Vitre cassée", created_at=NOW - timedelta(days=1))
    for n, (fmt, status) in enumerate([("csv", "pending"), ("xlsx", "running"), ("pdf", "done"), ("pdf", "failed")]):
        ExportJob.objects.create(owner=owner, kind="bookings", format=fmt, status=status,
                                 created_at=NOW - timedelta(hours=n))
        ExportJob.objects.create(owner=owner, kind="clients", format=fmt, status=status,
                                 created_at=NOW - timedelta(hours=n, minutes=5))
    ExportJob.objects.create(owner=owner, kind="bookings", format="csv", status="done",
                             created_at=NOW - timedelta(days=30))  # past retention: not listed
    return made


BOOKING_CASES = [
    {}, {"page": "2"}, {"page": "99"}, {"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": "2.0"}, {"filtre": "a-venir"}, {"filtre": "a-venir", "page": "2"},
    {"filtre": "en-cours"}, {"filtre": "en-attente"}, {"filtre": "passees"}, {"filtre": "remboursees"},
    {"filtre": "inconnu"}, {"q": "AH-T"}, {"q": "AH-T", "page": "2"}, {"q": '<b>"x"</b> & y'},
    {"q": "Zoé", "filtre": "en-attente"}, {"filtre": "toutes", "page": "2", "autre": "a&b"},
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_bookings_pages_are_the_templates_pages(owner, owner_client, many, language):
    from django.urls import reverse
    with translation.override(language):
        url = reverse("dashboard_bookings")
    seen = set()
    for params in BOOKING_CASES:
        html = _same_page(owner_client, url, params, OLD_BOOKINGS, _old_bookings_context)
        seen.update(marker for marker in ("status-reported", "request-actions", "recent-exports", 'rel="next"',
                                          'rel="prev"', "empty-state", "&lt;b&gt;Zoé", "helptext")
                    if marker in html)
    # What the cases are there for did show somewhere.
    assert seen == {"status-reported", "request-actions", "recent-exports", 'rel="next"', 'rel="prev"',
                    "empty-state", "&lt;b&gt;Zoé"}
    with override_settings(EXPORT_SYNC_MAX_ROWS_PDF=5):  # a long list: exported in a worker
        assert "helptext" in _same_page(owner_client, url, {}, OLD_BOOKINGS, _old_bookings_context)


def test_an_owner_without_bookings_sees_the_same_empty_pages(owner_client):
    for params in ({}, {"filtre": "en-attente"}, {"q": "x"}, {"page": "3"}):
        _same_page(owner_client, "/fr/tableau-de-bord/reservations/", params, OLD_BOOKINGS, _old_bookings_context)
    for params in ({}, {"q": "x"}):
        _same_page(owner_client, "/fr/tableau-de-bord/clients/", params, OLD_CLIENTS, _old_clients_context)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_clients_pages_are_the_templates_pages(owner, owner_client, language):
    from django.urls import reverse
    unit = make_unit(owner)
    for n in range(30):
        guest = make_user(f"client{n}+<x>@example.fr", first_name='<b>Zoé</b>' if n % 3 == 0 else "",
                          last_name=f"N{n:03d} & \"fils\"" if n % 4 else "", phone="+33612345678" if n % 2 else "")
        for k in range(1 + n % 3):
            make_booking(traveller=guest, unit=unit, arrival=NOW.date() + timedelta(days=3 * (n * 3 + k) - 60))
    make_booking(traveller=make_user("pas-confirmee@example.fr"), unit=unit, status=BookingStatus.REQUESTED,
                 arrival=NOW.date() + timedelta(days=400))
    for n, (fmt, status) in enumerate([("csv", "pending"), ("pdf", "done")]):
        ExportJob.objects.create(owner=owner, kind="clients", format=fmt, status=status,
                                 created_at=NOW - timedelta(hours=n))
    with translation.override(language):
        url = reverse("dashboard_clients")
    for params in ({}, {"page": "2"}, {"page": "9"}, {"page": "x"}, {"q": "N00"}, {"q": "zoé"}, {"q": '<i>"'},
                   {"q": "33612"}):
        html = _same_page(owner_client, url, params, OLD_CLIENTS, _old_clients_context)
        assert "recent-exports" in html
    with override_settings(EXPORT_SYNC_MAX_ROWS_PDF=5):
        assert "helptext" in _same_page(owner_client, url, {}, OLD_CLIENTS, _old_clients_context)


def test_counts_and_pages_match_the_orm_for_every_filter(owner, traveller, many):
    """The precompiled queries (filter tabs, pages) give what the ORM gives, page by page."""
    today = timezone.localdate()
    counts = selectors.filter_counts(owner=owner, today=today)
    for key, _label in selectors.ListFilter.choices:
        expected = list(selectors.owner_booking_values(selectors.owner_bookings(owner=owner, list_filter=key,
                                                                                today=today)))
        assert counts[key] == len(expected)
        pages = [selectors.owner_booking_page(owner=owner, list_filter=key, today=today, offset=offset, limit=7)
                 for offset in range(0, len(expected) + 7, 7)]
        assert [row for page in pages for row in page] == expected
        for offset, page in zip(range(0, len(expected) + 7, 7), pages, strict=True):
            rows, with_counts = selectors.owner_booking_page_and_counts(owner=owner, list_filter=key, today=today,
                                                                        offset=offset, limit=7)
            assert rows == page and with_counts == (counts if page else None)
    assert counts["toutes"] == Booking.objects.filter(owner=owner).count() > 40
    assert Decimal("1037.50") in {row[7] for row in selectors.owner_booking_page(
        owner=owner, list_filter="toutes", today=today, offset=0, limit=100)}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_request_actions_are_the_template_character_for_character(owner, many, rf, language):
    """A request's ✓ / ✗ forms (booking_table.request_actions) are _request_actions.html, the
    time left, the deadline in Paris time and the path to come back to included."""
    from django.template import Context
    from django.template.loader import get_template

    from bookings.templatetags import booking_table

    request = rf.get("/fr/tableau-de-bord/reservations/", {"filtre": "en-attente", "q": '<"&>'})
    request.user = owner
    with translation.override(language):
        values = selectors.owner_booking_page(owner=owner, list_filter="en-attente", today=NOW.date(), offset=0,
                                              limit=100)
        rows = [row for row in dashboard_views._list_rows(values, now=timezone.now())
                if row.booking.status == BookingStatus.REQUESTED]
        context = Context({"request": request, "csrf_token": "T" * 64})
        answer = booking_table._answer_parts(context, [row.booking.reference for row in rows])
        template = get_template("bookings/dashboard/_request_actions.html")
        for row in rows:
            expected = template.render({"request": request, "csrf_token": "T" * 64, "row": row})
            assert booking_table.request_actions(row, answer) == expected
    assert len(rows) > 3 and "20 min" in {row.time_left for row in rows}  # and the usual 3 days
