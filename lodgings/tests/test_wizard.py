"""The lodging wizard as an owner uses it: a gîte from creation to submission, chambres
d'hôtes whose rooms are added and removed, "Continuer la saisie" resuming where they stopped."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import Booking, BookingStatus
from domains.moderation import OfferStatus
from domains.tests.factories import make_domain
from lodgings.models import Amenity, Lodging, Unit

pytestmark = pytest.mark.django_db


def step(lodging: Lodging, slug: str) -> str:
    return reverse("lodging_wizard", args=[lodging.pk, slug])


def unit_rows(*rows: dict, initial: int = 0) -> dict:
    """The rooms step's POST: one dict of fields per row (with "id" for an existing room)."""
    data = {"units-TOTAL_FORMS": str(len(rows)), "units-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        fields = {"adults_capacity": "2", "children_capacity": "0", "nightly_price": "100", **row}
        data.update({f"units-{index}-{name}": value for name, value in fields.items()})
    return data


def create(owner_client, domain, *, kind: str) -> Lodging:
    response = owner_client.post(reverse("lodging_add", args=[domain.pk]),
                                 {"kind": kind, "title": "Le Logis du Prieur", "description": "Au bord du Cher."})
    lodging = Lodging.objects.get(domain=domain)
    assert response.status_code == 302 and response.url == step(lodging, "chambres")
    return lodging


def test_a_gite_goes_from_creation_to_submission_step_by_step(owner_client, owner, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    wifi, _ = Amenity.objects.get_or_create(code="wifi", defaults={"name": "Wi-Fi"})
    lodging = create(owner_client, domain, kind="gite")
    assert (lodging.slug, lodging.status) == ("le-logis-du-prieur", OfferStatus.DRAFT)

    answers = [
        ("chambres", unit_rows({"name": "Le Logis", "adults_capacity": "6", "children_capacity": "2",
                                "beds": "3 lits doubles", "nightly_price": "180"})),
        ("prix", None),  # built below, once the unit exists
        ("equipements", {"amenities": [str(wifi.pk)], "accessibility_notes": "Escalier à vis."}),
        ("option", {"booking_mode": "instant", "full_refund_days": "30", "late_refund_percent": "50",
                    "deposit_amount": "500", "deposit_terms": "Chèque à l'arrivée.", "house_rules": "",
                    "arrival_weekdays": ["6"], "departure_weekdays": ["6"], "checkin_time": "16:00",
                    "checkout_time": "10:00", "min_nights": "7", "max_nights": "21", "advance_notice_days": "2"}),
        ("taxe", {"commune_insee": "37214", "tax_classification": "3"}),
        ("photos", {"action": "next"}),
    ]
    following = {"chambres": "prix", "prix": "equipements", "equipements": "option", "option": "taxe",
                 "taxe": "photos", "photos": "soumettre"}
    for slug, data in answers:
        if slug == "prix":
            unit = lodging.units.get()
            data = {"prices-TOTAL_FORMS": "1", "prices-INITIAL_FORMS": "1", "prices-0-id": str(unit.pk),
                    "prices-0-nightly_price": "195", "cleaning_fee": "80"}
        response = owner_client.post(step(lodging, slug), data)
        assert response.status_code == 302 and response.url == step(lodging, following[slug]), slug
        lodging.refresh_from_db()
        assert lodging.wizard_step == slug

    unit = lodging.units.get()
    assert (unit.name, unit.capacity, unit.beds, unit.nightly_price) == ("Le Logis", 8, "3 lits doubles", Decimal("195"))
    assert (lodging.cleaning_fee, lodging.booking_mode, lodging.arrival_weekdays, lodging.min_nights) == (
        Decimal("80"), "instant", "6", 7)
    assert list(lodging.amenities.all()) == [wifi] and lodging.accessibility_notes == "Escalier à vis."
    assert (lodging.commune_insee, lodging.tax_classification, lodging.host_is_professional) == ("37214", "3", False)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(step(lodging, "soumettre"), {"action": "submit"})
    assert response.status_code == 302 and response.url == reverse("lodging_list", args=[domain.pk])
    lodging.refresh_from_db()
    assert lodging.status == OfferStatus.SUBMITTED and lodging.submitted_at is not None
    assert [mail.to for mail in mailoutbox] == [[owner.email]]


def test_a_submitted_lodging_is_locked_until_withdrawn(owner_client, owner):
    lodging = create(owner_client, make_domain(owner), kind="gite")
    owner_client.post(step(lodging, "chambres"), unit_rows({"name": "Le Logis"}))
    owner_client.post(step(lodging, "soumettre"), {"action": "submit"})
    owner_client.post(step(lodging, "option"), {"booking_mode": "instant"})
    lodging.refresh_from_db()
    assert lodging.status == OfferStatus.SUBMITTED and lodging.booking_mode == "request"
    owner_client.post(step(lodging, "soumettre"), {"action": "withdraw"})
    lodging.refresh_from_db()
    assert lodging.status == OfferStatus.DRAFT


def test_a_lodging_without_a_room_or_description_cannot_be_submitted(owner_client, owner):
    lodging = create(owner_client, make_domain(owner), kind="chambres_hotes")
    Lodging.objects.filter(pk=lodging.pk).update(description="")
    page = owner_client.get(step(lodging, "soumettre")).content.decode()
    assert "Décrivez l&#x27;hébergement" in page and "Ajoutez au moins une chambre ou le gîte" in page
    owner_client.post(step(lodging, "soumettre"), {"action": "submit"})
    lodging.refresh_from_db()
    assert lodging.status == OfferStatus.DRAFT


def test_continue_resumes_after_the_last_step_saved(owner_client, owner):
    lodging = create(owner_client, make_domain(owner), kind="gite")
    continue_url = reverse("lodging_continue", args=[lodging.pk])
    assert owner_client.get(continue_url).url == step(lodging, "chambres")  # creation saved "description"
    owner_client.post(step(lodging, "chambres"), unit_rows({"name": "Le Logis"}))
    assert owner_client.get(continue_url).url == step(lodging, "prix")
    owner_client.get(step(lodging, "description"))  # looking back changes nothing
    assert owner_client.get(continue_url).url == step(lodging, "prix")


def test_a_gite_is_one_unit_and_offers_no_add_button(owner_client, owner):
    lodging = create(owner_client, make_domain(owner), kind="gite")
    page = owner_client.get(step(lodging, "chambres")).content.decode()
    assert "Ajouter une chambre" not in page and "Un gîte se loue en entier" in page
    response = owner_client.post(step(lodging, "chambres"), unit_rows({"name": "Aile est"}, {"name": "Aile ouest"}))
    assert response.status_code == 200 and not Unit.objects.exists()


def test_chambres_d_hotes_rooms_are_added_then_removed(owner_client, owner):
    lodging = create(owner_client, make_domain(owner), kind="chambres_hotes")
    first = unit_rows({"name": "Chambre Ronsard"})
    page = owner_client.post(step(lodging, "chambres"), {**first, "add_row": "1"}).content.decode()
    assert 'name="units-1-name"' in page and not Unit.objects.exists()  # a new row, nothing saved yet

    owner_client.post(step(lodging, "chambres"), unit_rows({"name": "Chambre Ronsard"},
                                                           {"name": "Chambre Cassandre", "nightly_price": "130"}))
    ronsard, cassandre = lodging.units.order_by("position")
    assert [(u.name, u.position, u.nightly_price) for u in (ronsard, cassandre)] == [
        ("Chambre Ronsard", 1, Decimal("100")), ("Chambre Cassandre", 2, Decimal("130"))]

    owner_client.post(step(lodging, "chambres"), unit_rows(
        {"id": str(ronsard.pk), "name": "Chambre Ronsard"},
        {"id": str(cassandre.pk), "name": "Chambre Cassandre", "nightly_price": "130", "DELETE": "on"}, initial=2))
    assert list(lodging.units.values_list("name", flat=True)) == ["Chambre Ronsard"]


def test_removing_every_room_is_refused(owner_client, owner):
    lodging = create(owner_client, make_domain(owner), kind="chambres_hotes")
    owner_client.post(step(lodging, "chambres"), unit_rows({"name": "Chambre Ronsard"}))
    room = lodging.units.get()
    response = owner_client.post(step(lodging, "chambres"), unit_rows(
        {"id": str(room.pk), "name": "Chambre Ronsard", "DELETE": "on"}, initial=1))
    assert "Ajoutez au moins une chambre ou le gîte" in response.content.decode()
    assert Unit.objects.filter(pk=room.pk).exists()


def test_a_removed_room_with_bookings_is_withdrawn_not_deleted(owner_client, owner, traveller, unit):
    """Accounting keeps bookings attached to their room: it leaves search instead."""
    lodging = unit.lodging
    Lodging.objects.filter(pk=lodging.pk).update(kind="chambres_hotes")
    second = Unit.objects.create(lodging=lodging, name="Chambre Cassandre", nightly_price=Decimal("130"), position=2)
    Booking.objects.create(reference="AH-L00001", kind="stay", traveller=traveller, owner=owner, unit=unit,
                           arrival=date(2027, 5, 10), departure=date(2027, 5, 12), status=BookingStatus.CONFIRMED,
                           total_price=Decimal("240"))
    response = owner_client.post(step(lodging, "chambres"), unit_rows(
        {"id": str(unit.pk), "name": "Le Logis", "DELETE": "on"},
        {"id": str(second.pk), "name": "Chambre Cassandre", "nightly_price": "130"}, initial=2))
    assert response.status_code == 302
    unit.refresh_from_db()
    second.refresh_from_db()
    assert (unit.is_active, unit.is_listed) == (False, False)
    assert (second.is_active, second.is_listed) == (True, True)  # published lodging: the new room is searchable


def test_rooms_of_a_published_lodging_apply_at_once(owner_client, unit):
    lodging = unit.lodging
    response = owner_client.post(step(lodging, "chambres"), unit_rows(
        {"id": str(unit.pk), "name": "Le Logis", "adults_capacity": "5", "children_capacity": "1",
         "nightly_price": "140"}, initial=1))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.nightly_price, unit.max_guests, unit.is_listed) == (Decimal("140"), 6, True)
    lodging.refresh_from_db()
    assert lodging.status == OfferStatus.PUBLISHED
    said = owner_client.get(response["Location"]).content.decode()
    assert "déjà en ligne" in said and "après validation" not in said  # it did apply at once


def test_a_published_lodgings_text_change_says_it_waits_for_staff(owner_client, unit):
    response = owner_client.post(step(unit.lodging, "description"), {"title": "Le Logis du Guet",
                                                                     "description": "Nouveau texte."})
    assert response.status_code == 302
    said = owner_client.get(response["Location"]).content.decode()
    assert "après validation de l&#x27;équipe" in said


def test_a_huge_description_is_refused_with_its_limit_not_saved(owner_client, owner):
    domain = make_domain(owner)
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Le Fournil", slug="le-fournil")
    response = owner_client.post(step(lodging, "description"), {"title": "Le Fournil", "description": "x" * 220_000})
    assert response.status_code == 200 and "5000" in response.content.decode().replace("\u202f", "").replace(" ", "")
    lodging.refresh_from_db()
    assert lodging.description == ""
