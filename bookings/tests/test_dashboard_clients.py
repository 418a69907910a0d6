"""The owner's "Clients" tab: travellers of confirmed bookings with this owner, and nobody else."""
from datetime import timedelta

import pytest
import time_machine

from bookings.models import BookingStatus
from conftest import make_user

from .dashboard_factories import NOW, make_booking, make_unit

pytestmark = pytest.mark.django_db
CLIENTS = "/fr/tableau-de-bord/clients/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def emails(response) -> list[str]:
    return [client.email for client in response.context["page"].object_list]


def test_clients_are_travellers_of_confirmed_bookings_with_counts_and_last_stay(owner, owner_client, traveller):
    traveller.phone = "+33611223344"
    traveller.save()
    unit = make_unit(owner)
    make_booking(traveller=traveller, unit=unit, arrival="2027-04-01")
    make_booking(traveller=traveller, unit=unit, arrival="2027-06-10")
    make_booking(traveller=traveller, unit=unit, arrival="2027-08-01", status=BookingStatus.CANCELLED)
    asker = make_user("jeanne@example.fr", first_name="Jeanne", last_name="Demande")
    make_booking(traveller=asker, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-09-01")
    response = owner_client.get(CLIENTS)
    assert emails(response) == ["lucie@example.fr"]
    client = response.context["page"].object_list[0]
    assert client.confirmed_bookings == 2 and str(client.last_arrival) == "2027-06-10"
    html = response.content.decode()
    assert "Lucie Bernard" in html and "mailto:lucie@example.fr" in html and "+33611223344" in html
    assert "10/06/2027" in html


def test_no_traveller_of_another_owner_ever_appears(owner, other_owner, owner_client, traveller):
    stranger = make_user("marc@example.fr", first_name="Marc", last_name="Autre")
    make_booking(traveller=stranger, unit=make_unit(other_owner))
    # A traveller of both owners counts only this owner's bookings.
    make_booking(traveller=traveller, unit=make_unit(other_owner), arrival="2027-07-01")
    make_booking(traveller=traveller, unit=make_unit(owner), arrival="2027-05-20")
    response = owner_client.get(CLIENTS)
    assert emails(response) == ["lucie@example.fr"]
    assert response.context["page"].object_list[0].confirmed_bookings == 1
    assert "marc@example.fr" not in response.content.decode()
    assert "Autre" not in owner_client.get(CLIENTS, {"q": "marc"}).content.decode()


def test_clients_search_by_name_email_or_phone(owner, owner_client, traveller):
    unit = make_unit(owner)
    paul = make_user("paul@example.fr", first_name="Paul", last_name="Verlaine", phone="+33700000001")
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-10")
    make_booking(traveller=paul, unit=unit, arrival="2027-05-20")
    assert emails(owner_client.get(CLIENTS, {"q": "verlaine"})) == ["paul@example.fr"]
    assert emails(owner_client.get(CLIENTS, {"q": "lucie@"})) == ["lucie@example.fr"]
    assert emails(owner_client.get(CLIENTS, {"q": "0000001"})) == ["paul@example.fr"]
    assert "Aucun client ne correspond à « nobody »" in owner_client.get(CLIENTS, {"q": "nobody"}).content.decode()


def test_clients_empty_state(owner_client):
    assert "Aucun client pour le moment" in owner_client.get(CLIENTS).content.decode()


def _clients(owner, count: int, start: int = 0) -> None:
    unit = make_unit(owner, room=f"Chambre {start}")
    for n in range(start, start + count):
        guest = make_user(f"client{n}@example.fr", first_name="Client", last_name=f"N{n:03d}")
        make_booking(traveller=guest, unit=unit, arrival=NOW.date() + timedelta(days=2 * n + 10))


@pytest.mark.parametrize("count", [3, 30])
def test_clients_query_count_is_fixed_and_pages_by_25(owner, owner_client, django_assert_max_num_queries, count):
    _clients(owner, count)
    owner_client.get(CLIENTS)
    with django_assert_max_num_queries(7):
        response = owner_client.get(CLIENTS)
    assert len(emails(response)) == min(count, 25)
    if count > 25:
        assert len(emails(owner_client.get(CLIENTS, {"page": 2}))) == count - 25


CLIENT_ROWS = """{% load i18n phones %}  {% for client in page.object_list %}
    <tr>
      <td>{{ client.get_full_name|default:"—" }}</td>
      <td><a href="mailto:{{ client.email }}">{{ client.email }}</a></td>
      <td>{% if client.phone %}<a href="tel:{{ client.phone }}">{{ client.phone|phone }}</a>{% else %}—{% endif %}</td>
      <td class="num"><a href="{% url 'dashboard_bookings' %}?q={{ client.email|urlencode }}">{{ client.confirmed_bookings }}<span class="visually-hidden"> {% translate "réservations de" %} {{ client.email }}</span></a></td>
      <td>{{ client.last_arrival|date:"d/m/Y" }}</td>
    </tr>
  {% endfor %}
"""


def test_client_rows_written_from_python_are_the_template_rows(owner, owner_client, traveller):
    """bookings/templatetags/booking_table.client_table_rows: the former template's cells,
    links and escaping (issue 14), with and without a name or a phone."""
    from django.template import Context, Template

    from bookings.templatetags.booking_table import client_table_rows

    _clients(owner, 3)
    traveller.first_name, traveller.last_name, traveller.phone = "<b>Zoé</b> & Cie", "d'Aubigné", "+33612345678"
    traveller.save()
    make_booking(traveller=traveller, unit=make_unit(owner), arrival="2027-05-20")
    response = owner_client.get(CLIENTS)
    page = response.context["page"]
    expected = Template(CLIENT_ROWS).render(Context({"page": page}))
    written = client_table_rows(page.object_list)
    assert written.count("<tr>") == len(page.object_list) == 4
    assert " ".join(written.split()) == " ".join(expected.split())
    assert "&lt;b&gt;Zoé&lt;/b&gt; &amp; Cie d&#x27;Aubigné" in written and "tel:+33612345678" in written
