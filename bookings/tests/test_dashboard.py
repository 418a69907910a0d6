"""The owner's "Réservations" tab: filters, search, colours, actions, detail, permissions."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import BookingStatus, CancelledBy
from conftest import make_user

from .dashboard_factories import NOW, make_booking, make_session, make_unit

pytestmark = pytest.mark.django_db
LIST = "/fr/tableau-de-bord/reservations/"


@pytest.fixture(autouse=True)
def frozen_clock():
    # Today is Monday 3 May 2027 in Paris for every test here.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def unit(owner):
    return make_unit(owner)


@pytest.fixture
def every_state(owner, traveller, unit):
    """One booking per state the owner can meet, on separate units so live stays never overlap."""
    units = [unit] + [make_unit(owner, room=f"Chambre {n}") for n in range(8)]
    session = make_session(owner)
    return {
        "upcoming": make_booking(traveller=traveller, unit=units[0], arrival="2027-05-10"),
        "upcoming_session": make_booking(traveller=traveller, session=session),
        "ongoing": make_booking(traveller=traveller, unit=units[1], arrival="2027-05-01", departure="2027-05-05"),
        "arrives_today": make_booking(traveller=traveller, unit=units[2], arrival="2027-05-03"),
        "left_today": make_booking(traveller=traveller, unit=units[3], arrival="2027-04-30", departure="2027-05-03"),
        "past": make_booking(traveller=traveller, unit=units[4], arrival="2027-04-01", departure="2027-04-04"),
        "requested": make_booking(traveller=traveller, unit=units[5], status=BookingStatus.REQUESTED,
                                  arrival="2027-06-01"),
        "awaiting_payment": make_booking(traveller=traveller, unit=units[6], status=BookingStatus.AWAITING_PAYMENT,
                                         arrival="2027-06-01"),
        "checkout": make_booking(traveller=traveller, unit=units[7], status=BookingStatus.CHECKOUT,
                                 arrival="2027-06-01"),
        "refunded": make_booking(traveller=traveller, unit=units[8], status=BookingStatus.CANCELLED,
                                 arrival="2027-06-01", refunded="240.00", cancelled_by=CancelledBy.OWNER),
        "refused": make_booking(traveller=traveller, unit=units[8], status=BookingStatus.REFUSED,
                                arrival="2027-07-01"),
        "expired": make_booking(traveller=traveller, unit=units[8], status=BookingStatus.EXPIRED,
                                arrival="2027-08-01"),
    }


def listed(response) -> set[str]:
    return {row.booking.reference for row in response.context["rows"]}


def refs(bookings, *names) -> set[str]:
    return {bookings[name].reference for name in names}


@pytest.mark.parametrize(("list_filter", "expected"), [
    ("a-venir", ("upcoming", "upcoming_session")),
    ("en-cours", ("ongoing", "arrives_today")),
    ("en-attente", ("requested", "awaiting_payment", "checkout")),
    ("passees", ("past", "left_today")),
    ("remboursees", ("refunded",)),
])
def test_each_filter_lists_exactly_its_bookings(owner_client, every_state, list_filter, expected):
    response = owner_client.get(LIST, {"filtre": list_filter})
    assert response.status_code == 200
    assert listed(response) == refs(every_state, *expected)


def test_unfiltered_list_shows_every_booking_and_the_filter_counts(owner_client, every_state):
    response = owner_client.get(LIST)
    assert listed(response) == {booking.reference for booking in every_state.values()}
    counts = {key: count for key, _label, count in response.context["filters"]}
    assert counts == {"toutes": 12, "a-venir": 2, "en-cours": 2, "en-attente": 3, "passees": 2, "remboursees": 1}


def test_each_row_has_its_colour_button_and_the_legend_names_every_colour(owner_client, every_state):
    html = owner_client.get(LIST).content.decode()
    for state in ("requested", "awaiting_payment", "checkout", "upcoming", "ongoing", "past", "cancelled",
                  "refused", "expired"):
        assert html.count(f"status-pill status-{state}") >= 2, state  # one in the legend, one in a row
    assert "Légende" in html


def test_search_finds_by_reference_and_by_traveller_name(owner, owner_client, traveller, unit):
    other_traveller = make_user("paul@example.fr", first_name="Paul", last_name="Verlaine")
    lucie = make_booking(traveller=traveller, unit=unit, arrival="2027-05-10")
    paul = make_booking(traveller=other_traveller, unit=unit, arrival="2027-05-20")
    assert listed(owner_client.get(LIST, {"q": paul.reference.lower()})) == {paul.reference}
    assert listed(owner_client.get(LIST, {"q": "Lucie Bernard"})) == {lucie.reference}
    assert listed(owner_client.get(LIST, {"q": "verlaine", "filtre": "a-venir"})) == {paul.reference}
    empty = owner_client.get(LIST, {"q": "personne"})
    assert "Aucune réservation ne correspond à « personne »" in empty.content.decode()


@pytest.mark.parametrize(("list_filter", "text"), [
    ("toutes", "Aucune réservation pour le moment"),
    ("a-venir", "Aucune réservation confirmée à venir."),
    ("en-cours", "Aucun séjour ni aucune séance en cours aujourd"),
    ("en-attente", "Aucune demande en attente : vous êtes à jour."),
    ("passees", "Aucune réservation passée pour le moment."),
    ("remboursees", "Aucune réservation remboursée."),
])
def test_each_filter_has_its_empty_state(owner_client, list_filter, text):
    response = owner_client.get(LIST, {"filtre": list_filter})
    assert text in response.content.decode()
    assert "<table" not in response.content.decode()


def test_another_owners_bookings_never_appear(owner_client, other_owner, traveller):
    theirs = make_booking(traveller=traveller, unit=make_unit(other_owner))
    response = owner_client.get(LIST)
    assert theirs.reference not in response.content.decode()
    assert listed(response) == set()


def test_list_paginates_by_25(owner_client, traveller, unit):
    for n in range(30):
        make_booking(traveller=traveller, unit=unit, arrival=NOW.date() + timedelta(days=10 + 2 * n))
    first, second = owner_client.get(LIST), owner_client.get(LIST, {"page": 2})
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 5
    assert listed(first).isdisjoint(listed(second))
    assert "Page 1 sur 2" in first.content.decode()


def test_a_later_page_lists_the_next_bookings_newest_first(owner, owner_client, traveller, unit):
    """Pages read their ids first, then the rows (core.paginator): same rows, same order."""
    from bookings.models import Booking

    for n in range(30):
        make_booking(traveller=traveller, unit=unit, arrival=NOW.date() + timedelta(days=10 + 2 * n))
    expected = list(Booking.objects.filter(owner=owner).order_by("-created_at", "-id")
                    .values_list("reference", flat=True))
    shown = [row.booking.reference for row in owner_client.get(LIST, {"page": 2}).context["rows"]]
    assert shown == expected[25:]


def _fill(owner, traveller, count: int) -> None:
    units = [make_unit(owner, room=f"Chambre {n}") for n in range(3)]
    sessions = [make_session(owner)]
    for n in range(count):
        if n % 3 == 2:
            make_booking(traveller=traveller, session=sessions[0])
        else:
            make_booking(traveller=traveller, unit=units[n % 2], status=BookingStatus.REQUESTED if n % 4 == 0
                         else BookingStatus.CONFIRMED, arrival=NOW.date() + timedelta(days=10 + 3 * n))


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_rows(owner, owner_client, traveller, django_assert_max_num_queries,
                                                   count):
    _fill(owner, traveller, count)
    owner_client.get(LIST)  # warm the session
    # session, user, owner profile, the page's rows with the filter counts (and the page's
    # count, selectors.owner_booking_page_and_counts), the page's reported bookings
    # (reports_tags) — and the shell's own (test_list_queries_are_pinned_at_two_sizes pins them).
    with django_assert_max_num_queries(7):
        response = owner_client.get(LIST)
    assert len(response.context["rows"]) == min(count, 25)


def test_list_makes_the_same_queries_for_3_and_30_rows(owner, owner_client, traveller):
    _fill(owner, traveller, 3)
    owner_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(LIST)
    _fill(owner, traveller, 27)
    with CaptureQueriesContext(connection) as many:
        owner_client.get(LIST)
    assert len(many) == len(few)


def test_requests_show_the_time_left_to_answer(owner_client, traveller, unit):
    make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED,
                 respond_by=NOW + timedelta(days=2, hours=5, minutes=20))
    html = owner_client.get(LIST, {"filtre": "en-attente"}).content.decode()
    assert "Reste 2 j 5 h" in html
    assert "5 mai 17:20" in html  # 15:20 UTC is 17:20 in Paris (summer time)


# --- Actions through the services -------------------------------------------------------

def test_owner_accepts_a_request_from_the_list(owner_client, traveller, unit, mailoutbox,
                                                django_capture_on_commit_callbacks):
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01")
    back = f"{LIST}?filtre=en-attente"
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("dashboard_booking_accept", args=[request.reference]), {"next": back})
    assert response.status_code == 302 and response.url == back
    request.refresh_from_db()
    assert request.status == BookingStatus.AWAITING_PAYMENT
    assert request.events.filter(to_status=BookingStatus.AWAITING_PAYMENT).exists()
    assert any(traveller.email in mail.to for mail in mailoutbox)
    assert "acceptée" in owner_client.get(back).content.decode()


def test_owner_refuses_a_request_with_a_reason(owner_client, traveller, unit):
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01")
    response = owner_client.post(reverse("dashboard_booking_refuse", args=[request.reference]),
                                 {"reason": "Le domaine est fermé pour travaux.", "next": LIST})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == BookingStatus.REFUSED
    assert request.refusal_reason == "Le domaine est fermé pour travaux."


def test_accepting_after_the_deadline_is_refused_with_a_message(owner_client, traveller, unit):
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01",
                           respond_by=NOW - timedelta(minutes=1))
    response = owner_client.post(reverse("dashboard_booking_accept", args=[request.reference]), follow=True)
    assert response.status_code == 200
    assert "Le délai de réponse est dépassé" in response.content.decode()
    request.refresh_from_db()
    assert request.status == BookingStatus.REQUESTED


def test_an_external_next_url_is_ignored(owner_client, traveller, unit):
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01")
    response = owner_client.post(reverse("dashboard_booking_refuse", args=[request.reference]),
                                 {"next": "https://evil.example/"})
    assert response.url == reverse("dashboard_booking", args=[request.reference])


def test_actions_need_a_post(owner_client, traveller, unit):
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01")
    assert owner_client.get(reverse("dashboard_booking_accept", args=[request.reference])).status_code == 405
    request.refresh_from_db()
    assert request.status == BookingStatus.REQUESTED


# --- Detail ------------------------------------------------------------------------------

def test_detail_shows_price_breakdown_message_and_history(owner, owner_client, traveller, unit):
    booking = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01",
                           total="240.00", message="Nous arriverons tard, vers 22 h.")
    booking.events.create(from_status="", to_status=BookingStatus.REQUESTED, actor=traveller, created_at=NOW)
    html = owner_client.get(reverse("dashboard_booking", args=[booking.reference])).content.decode()
    assert "2 nuits × 120,00\u00a0€" in html and "240,00\u00a0€" in html
    assert "Nous arriverons tard, vers 22 h." in html
    assert "En attente de réponse" in html  # the history line
    assert "Château de Talcy – Le Pavillon / Chambre bleue" in html
    # Contact details wait for the confirmation.
    assert traveller.email not in html
    assert "dès que la réservation est confirmée" in html


def test_detail_shows_the_travellers_contact_once_confirmed(owner_client, traveller, unit):
    traveller.phone = "+33698765432"
    traveller.save()
    booking = make_booking(traveller=traveller, unit=unit)
    html = owner_client.get(reverse("dashboard_booking", args=[booking.reference])).content.decode()
    assert f"mailto:{traveller.email}" in html and "+33698765432" in html


def test_owner_cancellation_shows_and_refunds_100_percent(owner_client, traveller, unit,
                                                          django_capture_on_commit_callbacks):
    # The refund itself is the payments app's (on commit); here: the amount shown and owed.
    booking = make_booking(traveller=traveller, unit=unit, arrival="2027-05-06", total="360.00")  # 3 days away
    url = reverse("dashboard_booking_cancel", args=[booking.reference])
    confirm = owner_client.get(url).content.decode()
    assert "rembourse le voyageur à 100 %" in confirm and "360,00\u00a0€" in confirm
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = owner_client.post(url, follow=True)
    assert callbacks  # emails and the refund request wait for the commit
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == CancelledBy.OWNER
    assert "remboursé de 360,00\u00a0€" in response.content.decode()


def test_a_started_stay_cannot_be_cancelled_from_the_dashboard(owner_client, traveller, unit):
    booking = make_booking(traveller=traveller, unit=unit, arrival="2027-05-02", departure="2027-05-05")
    detail = owner_client.get(reverse("dashboard_booking", args=[booking.reference])).content.decode()
    assert "Annuler cette réservation" not in detail
    response = owner_client.get(reverse("dashboard_booking_cancel", args=[booking.reference]))
    assert response.status_code == 302
    response = owner_client.post(reverse("dashboard_booking_cancel", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- Permissions -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "method"), [
    ("dashboard_booking", "get"), ("dashboard_booking_accept", "post"), ("dashboard_booking_refuse", "post"),
    ("dashboard_booking_cancel", "get"), ("dashboard_booking_cancel", "post"),
])
def test_another_owner_gets_404_on_every_booking_url(client, other_owner, owner, traveller, unit, name, method):
    booking = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01")
    client.force_login(other_owner)
    response = getattr(client, method)(reverse(name, args=[booking.reference]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_a_traveller_cannot_open_the_owner_dashboard(client, traveller, unit):
    booking = make_booking(traveller=traveller, unit=unit)
    client.force_login(traveller)
    response = client.get(reverse("dashboard_booking", args=[booking.reference]))
    assert response.status_code == 302 and response.url == reverse("become_owner")


def test_money_is_shown_in_french(owner_client, traveller, unit):
    make_booking(traveller=traveller, unit=unit, total="1234.50")
    assert "1\xa0234,50\u00a0€" in owner_client.get(LIST).content.decode() or "1 234,50\u00a0€" in owner_client.get(
        LIST).content.decode()


def test_refunded_amount_counts_in_refunded_filter_even_if_partial(owner_client, traveller, unit):
    partial = make_booking(traveller=traveller, unit=unit, status=BookingStatus.CANCELLED, refunded="50.00",
                           total="240.00")
    assert partial.refunded_amount == Decimal("50.00")
    assert listed(owner_client.get(LIST, {"filtre": "remboursees"})) == {partial.reference}


def test_cancelling_an_unpaid_accepted_request_says_nothing_is_owed(owner_client, traveller, unit):
    booking = make_booking(traveller=traveller, unit=unit, status=BookingStatus.AWAITING_PAYMENT, arrival="2027-06-01")
    url = reverse("dashboard_booking_cancel", args=[booking.reference])
    assert "n'a encore rien payé" in owner_client.get(url).content.decode().replace("&#x27;", "'")
    owner_client.post(url)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == CancelledBy.OWNER


def test_time_left_and_deadline_cross_the_october_clock_change(owner, traveller, unit, client):
    # Friday 29 October 2027, 12:00 in Paris (summer time); the clocks go back on Sunday 31.
    friday = NOW.replace(month=10, day=29)
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-12-01",
                           respond_by=friday + timedelta(days=3))
    with time_machine.travel(friday, tick=False):
        client.force_login(owner)
        html = client.get(LIST, {"filtre": "en-attente"}).content.decode()
    assert request.reference in html
    assert "Reste 3 j 0 h" in html  # 72 real hours
    assert "1 nov. 11:00" in html  # 10:00 UTC is 11:00 in Paris once winter time is back


# --- The rows written from Python (bookings/templatetags/booking_table.py, issue 14) -------

# The per-row template the list used before its rows were written from Python.
TEMPLATE_ROWS = """{% load i18n money %}{% for row in rows %}
    <tr>
      <td><a class="status-pill status-{{ row.state.code }}" href="{% url 'dashboard_booking' row.booking.reference %}">{{ row.state.label }}{% if row.booking.refunded_amount %} · {% translate "remboursée" %}{% endif %}</a></td>
      <td><a href="{% url 'dashboard_booking' row.booking.reference %}">{{ row.booking.reference }}</a></td>
      <td class="offer">{{ row.offer }}</td>
      <td class="nowrap">{{ row.booking.arrival|date:"d/m/Y" }}{% if row.booking.unit_id %}<br>→ {{ row.booking.departure|date:"d/m/Y" }}{% endif %}</td>
      <td>{{ row.booking.guests }}</td>
      <td class="num">{{ row.booking.total_price|eur }}</td>
      <td>{{ row.traveller }}{% if row.booking.pk in reported %} {% include "reports/includes/reported_pill.html" %}{% endif %}</td>
      <td class="actions">{% if row.booking.status == "requested" %}{% include "bookings/dashboard/_request_actions.html" %}{% else %}<a href="{% url 'dashboard_booking' row.booking.reference %}">{% translate "Détails" %}<span class="visually-hidden"> {{ row.booking.reference }}</span></a>{% endif %}</td>
    </tr>
  {% endfor %}"""


def _squeezed(html: str) -> str:
    return " ".join(html.split()).replace("> <", "><")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_python_rows_are_the_template_rows(owner, every_state, rf, language):
    """Same cells, links, labels, escaping and request forms as the template they replace,
    for every state, in both languages; a reported booking shows its pill."""
    from django.template import Context, Template
    from django.utils import timezone, translation

    from bookings import dashboard_views, selectors

    every_state["past"].traveller.first_name = '<b>Zoé</b> "d\'Aubigné" & Cie'
    every_state["past"].traveller.save()
    request = rf.get(LIST, {"filtre": "toutes"})
    request.user = owner
    with translation.override(language):
        bookings = selectors.owner_bookings(owner=owner, today=NOW.date())
        values = dashboard_views._list_rows(selectors.owner_booking_values(bookings), now=timezone.now())
        models = dashboard_views._rows(bookings, now=timezone.now())
        reported = {every_state["past"].pk, every_state["requested"].pk}
        context = {"request": request, "csrf_token": "T" * 64, "reported": reported}
        written = Template("{% load booking_table %}{% booking_table_rows rows reported %}").render(
            Context({**context, "rows": values}))
        expected = Template(TEMPLATE_ROWS).render(Context({**context, "rows": models}))
    assert len(values) == len(every_state) and _squeezed(written) == _squeezed(expected)
    assert "&lt;b&gt;Zoé&lt;/b&gt; &quot;d&#x27;Aubigné&quot; &amp; Cie" in written and "<b>Zoé" not in written
    assert written.count("status-reported") == 2 and written.count('name="csrfmiddlewaretoken"') == 2


@pytest.mark.parametrize("filtre", ["toutes", "a-venir"])
def test_list_queries_are_pinned_at_two_sizes(owner, owner_client, traveller, django_assert_num_queries, filtre):
    """session, user, owner profile, the page's rows with the filter tabs' counts (which give
    the page its count; its ids past the offset inside the same statement), the
    double-booking banner, recent exports, the reported bookings: 7 at 3 and at 30 bookings,
    page 1 and 2. A page past the last (a stale link) reads no rows, then the counts, then
    the last page: 9."""
    from bookings import selectors

    _fill(owner, traveller, 3)
    owner_client.get(LIST)
    with django_assert_num_queries(6):
        owner_client.get(LIST, {"filtre": filtre})
    _fill(owner, traveller, 30)
    with django_assert_num_queries(6):
        response = owner_client.get(LIST, {"filtre": filtre})
    assert len(response.context["rows"]) == 25
    with django_assert_num_queries(6):
        second = owner_client.get(LIST, {"filtre": filtre, "page": 2})
    total = response.context["page"].paginator.count  # from the filter tabs' counts
    assert total == len(listed(response) | listed(second)) == owner.bookings_received.filter(
        selectors.filter_condition(filtre, today=NOW.date())).count() > 25
    assert len(second.context["rows"]) == total - 25 and not listed(second) & listed(response)
    with django_assert_num_queries(8):
        last = owner_client.get(LIST, {"filtre": filtre, "page": 9})
    assert listed(last) == listed(second)


def test_searched_list_queries_are_pinned_at_two_sizes(owner, owner_client, traveller, django_assert_num_queries):
    """A search counts its own rows (the tabs count the filters), then reads the page's ids
    and its rows with the ORM: 10 at 3 and at 30 matching bookings."""
    _fill(owner, traveller, 3)
    owner_client.get(LIST)
    with django_assert_num_queries(9):
        response = owner_client.get(LIST, {"q": "AH-T"})
    assert len(response.context["rows"]) == 3
    _fill(owner, traveller, 30)
    with django_assert_num_queries(9):
        response = owner_client.get(LIST, {"q": "AH-T"})
    assert len(response.context["rows"]) == 25 and response.context["page"].paginator.count == 33
