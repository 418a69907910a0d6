"""« Mes voyages » written from Python (bookings/templatetags/trip_table.py, bookings/trip_list.py)
against the template and the ORM query it replaced: the same page, byte for byte, in French and
English, in each tab and page, for stays (gîtes, chambres d'hôtes), experiences, refunds, the
taxe de séjour and names holding markup; and the same queries whatever the number of trips."""
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from bookings.models import LIVE_STATUSES, Booking, BookingStatus
from bookings.views import TRIP_TABS
from core.dates import today_in_paris
from touristtax.models import BookingTax, TaxStatus

from .dashboard_factories import make_booking, make_session, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def traveller_client(client, traveller):
    client.force_login(traveller)
    return client

# bookings/templates/bookings/trips.html before it was written from Python.
FORMER_TEMPLATE = """{% extends "site/base.html" %}
{% load money %}
{% load i18n %}
{% load help_tags %}
{% block title %}{% translate "Mes voyages" %}{% endblock %}
{% block content %}
<h1>{% translate "Mes voyages" %}</h1>{% help_link "remboursement" "traveller" %}
<p class="trips-reviews-link"><a href="{% url 'my_reviews' %}">{% translate "Mes avis" %}</a></p>
<p><a href="{% url 'my_vouchers' %}">{% translate "Mes bons cadeaux et leur solde" %}</a></p>
<nav class="filter-tabs" aria-label="{% translate 'Mes voyages' %}">
  <ul>
    {% for key, label in tabs.items %}
      <li><a href="?tab={{ key }}"{% if key == tab %} aria-current="page"{% endif %}>{{ label }}</a></li>
    {% endfor %}
  </ul>
</nav>
{% if page.object_list %}
  <div class="table-wrap" tabindex="0" role="region" aria-label="{% translate "Tableau, défilable horizontalement" %}">
    <table class="data trips">
      <thead><tr>
        <th scope="col">{% translate "Réservation" %}</th>
        <th scope="col">{% translate "Dates" %}</th>
        <th scope="col">{% translate "Statut" %}</th>
        <th scope="col">{% translate "Total" %}</th>
      </tr></thead>
      <tbody>
        {% for booking in page.object_list %}
          <tr>
            <td><a href="{% url 'trip_detail' booking.reference %}">{{ booking.title }}</a><br><small>{{ booking.reference }} · {% if booking.unit_id %}{{ booking.unit.lodging.domain.name }}{% else %}{{ booking.session.experience.domain.name }}{% endif %}</small></td>
            <td>{% if booking.session_id %}{{ booking.session.start|long_date:"j F Y, H:i" }}{% else %}{{ booking.arrival|long_date:"j F Y" }} → {{ booking.departure|long_date:"j F Y" }}{% endif %}</td>
            <td>{% include "bookings/includes/status.html" %}</td>
            <td class="num">{{ booking.total_to_pay|eur }}</td>
          </tr>
        {% endfor %}
      </tbody>
    </table>
  </div>
  {% if page.has_other_pages %}
    <nav class="pagination" aria-label="{% translate 'Pages' %}">
      {% if page.has_previous %}<a href="?tab={{ tab }}&amp;page={{ page.previous_page_number }}">{% translate "Précédente" %}</a>{% endif %}
      <span>{% blocktranslate with n=page.number total=page.paginator.num_pages %}Page {{ n }} sur {{ total }}{% endblocktranslate %}</span>
      {% if page.has_next %}<a href="?tab={{ tab }}&amp;page={{ page.next_page_number }}">{% translate "Suivante" %}</a>{% endif %}
    </nav>
  {% endif %}
{% else %}
  <div class="empty-state">
    {% if tab == "upcoming" %}{% translate "Aucun voyage à venir. Trouvez un château, un moulin ou un prieuré pour votre prochain séjour." %}
    {% elif tab == "past" %}{% translate "Aucun voyage passé pour le moment." %}
    {% else %}{% translate "Aucune réservation annulée, refusée ou expirée." %}{% endif %}
    <p><a class="button" href="{% url 'home' %}">{% translate "Découvrir les domaines" %}</a></p>
  </div>
{% endif %}
{% endblock %}
"""


def former_trips(user, tab: str, today):
    """bookings.views._trips before the plain rows."""
    trips = Booking.objects.filter(traveller=user).select_related(
        "unit__lodging__domain", "session__experience__domain", "tourist_tax")
    if tab == "past":
        return trips.filter(status=BookingStatus.CONFIRMED, departure__lte=today).order_by("-arrival", "-pk")
    if tab == "cancelled":
        return trips.exclude(status__in=LIVE_STATUSES).order_by("-created_at", "-pk")
    return trips.filter(status__in=LIVE_STATUSES, departure__gt=today).order_by("arrival", "pk")


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def both(client, user, language, query=""):
    with translation.override(language):
        path = reverse("trips")
    assert path.startswith(f"/{language}/")
    response = client.get(path + query)
    assert response.status_code == 200
    request = response.wsgi_request
    tab = request.GET.get("tab") if request.GET.get("tab") in TRIP_TABS else "upcoming"
    page = Paginator(former_trips(user, tab, today_in_paris(timezone.now())), 10).get_page(request.GET.get("page"))
    with translation.override(language):
        former = engines["django"].from_string(FORMER_TEMPLATE).render(
            {"page": page, "tab": tab, "tabs": TRIP_TABS}, request)
    return _TOKEN.sub("", response.content.decode()), _TOKEN.sub("", former)


def _first_difference(page, former):  # a readable failure
    at = next((i for i, (a, b) in enumerate(zip(page, former, strict=False)) if a != b), min(len(page), len(former)))
    return f"at {at}: page {page[at - 80:at + 120]!r}\nformer {former[at - 80:at + 120]!r}"


@pytest.fixture
def globetrotter(traveller, owner, other_owner):
    """Trips of every kind in every tab: 13 to come, 12 past, 11 cancelled, refused or expired."""
    today = timezone.localdate()
    chambres = make_unit(owner, name="<b>Château</b> & fils", lodging="Le <em>Pavillon</em>", room='Chambre "bleue"')
    gite = make_unit(other_owner, name="Moulin d'O", lodging="Le Gîte", room="La <script>")
    gite.lodging.kind = "gite"
    gite.lodging.save()
    session = make_session(owner, start=datetime(2027, 6, 12, 22, 30, tzinfo=UTC))
    past_session = make_session(owner, start=timezone.now() - timedelta(days=40))
    statuses = [BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED,
                BookingStatus.CHECKOUT]
    n = 0
    for i in range(13):
        unit = (chambres, gite, None)[i % 3]
        booking = make_booking(traveller=traveller, unit=unit, session=None if unit else session,
                               status=statuses[i % 4] if unit else BookingStatus.CONFIRMED,
                               arrival=today + timedelta(days=5 + 3 * i), total=f"{150 + 11 * i}.{i:02d}",
                               refunded=("0", "20", "0")[i % 3])
        n += 1
        if unit is gite:
            BookingTax.objects.create(booking=booking, lodging=gite.lodging, category="meuble_non_classe",
                                      status=TaxStatus.COLLECTED if i % 2 else TaxStatus.NO_TARIFF, nights=2,
                                      adults=2, occupants=2, nightly_price=Decimal("100"),
                                      amount=Decimal(f"{i}.35") if i % 2 else Decimal("0"))
    for i in range(12):
        unit = (gite, chambres, None)[i % 3]
        make_booking(traveller=traveller, unit=unit, session=None if unit else past_session,
                     arrival=today - timedelta(days=60 + 3 * i), total=f"{90 + i}.50",
                     refunded=("0", "45.25", str(90 + i) + ".50")[i % 3])
    for i, status in enumerate([BookingStatus.CANCELLED, BookingStatus.REFUSED, BookingStatus.EXPIRED] * 3
                               + [BookingStatus.CANCELLED] * 2):
        make_booking(traveller=traveller, unit=(gite, chambres)[i % 2], status=status,
                     arrival=today + timedelta(days=200 + 3 * i), refunded="10" if i % 2 else "0")
    return traveller


QUERIES = ["", "?tab=upcoming&page=2", "?tab=past", "?tab=past&page=2", "?tab=cancelled", "?tab=cancelled&page=2",
           "?tab=nope", "?tab=past&page=abc", "?tab=past&page=9"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_page_is_the_former_templates_byte_for_byte(client, globetrotter, language, query):
    client.force_login(globetrotter)
    page, former = both(client, globetrotter, language, query)
    assert page == former, _first_difference(page, former)
    assert page.count("<tr>") >= 2  # the head and at least one trip


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("query", ["", "?tab=past", "?tab=cancelled"])
def test_empty_tabs_are_the_former_templates(traveller_client, traveller, language, query):
    page, former = both(traveller_client, traveller, language, query)
    assert page == former, _first_difference(page, former)


def test_the_tabs_make_the_same_queries_at_two_sizes(traveller_client, traveller, owner, django_assert_num_queries):
    """Session, user, owner profile (the menu), the tab's count and its page."""
    unit = make_unit(owner)
    today = timezone.localdate()

    def grow(count):
        first = Booking.objects.filter(traveller=traveller).count()
        for i in range(first, first + count):
            make_booking(traveller=traveller, unit=unit, arrival=today - timedelta(days=3 * (i + 1)))

    grow(3)
    for query in ("", "?tab=past", "?tab=cancelled"):
        with django_assert_num_queries(4):
            traveller_client.get(reverse("trips") + query)
    grow(40)
    for query in ("", "?tab=past", "?tab=past&page=4", "?tab=cancelled"):
        with django_assert_num_queries(4):
            html = traveller_client.get(reverse("trips") + query).content.decode()
    assert "Page 4 sur 5" in html or "Aucune réservation annulée" in html
    assert "Page 4 sur 5" in traveller_client.get(reverse("trips") + "?tab=past&page=4").content.decode()
