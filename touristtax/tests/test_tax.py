"""The taxe de séjour of a stay: the amount per adult and per night (classified, or a capped
percentage for non-classified lodgings), minors exempt, professional hosts, missing tariffs,
experiences; what the traveller sees; the staff's admin and the owner's form never fail on bad input."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as bookings
from lodgings.models import Lodging
from payouts.services import amount_due
from touristtax import rules
from touristtax.models import BookingTax, Commune, Tariff, TaxAlert, TaxStatus
from touristtax.services import quote_stay

pytestmark = pytest.mark.django_db
D = Decimal
ARRIVAL = date(2027, 6, 7)


def quote(lodging: Lodging, *, adults=2, children=0, nights=3, nightly="120.00", arrival=ARRIVAL):
    return quote_stay(lodging=lodging, nightly_price=D(nightly), arrival=arrival,
                      departure=arrival + timedelta(days=nights), adults=adults, children=children)


def book(unit, traveller, *, adults=2, children=0, nights=3, arrival=None):
    arrival = arrival or timezone.localdate() + timedelta(days=30)
    return bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                 departure=arrival + timedelta(days=nights), adults=adults, children=children,
                                 now=timezone.now())


# --- The amount -----------------------------------------------------------------------------------

def test_a_classified_lodging_pays_its_category_tariff_per_adult_and_night_plus_the_departement(taxed_lodging):
    tax = quote(taxed_lodging, adults=2, nights=3)
    assert tax.status == TaxStatus.COLLECTED
    assert tax.communal_per_night == D("1.20") and tax.departmental_per_night == D("0.12")
    assert tax.per_adult_night == D("1.32")
    assert tax.amount == D("7.92")  # 1,32 € × 2 adults × 3 nights


def test_a_non_classified_lodging_pays_a_percentage_of_the_price_per_person_within_the_cap(taxed_lodging):
    taxed_lodging.tax_classification = "non_classe"
    # 120 € a night for 4 occupants (2 of them children): 30 € per person, 5 % = 1,50 € (under the cap).
    uncapped = quote(taxed_lodging, adults=2, children=2, nights=3)
    assert uncapped.communal_per_night == D("1.50")
    assert uncapped.per_adult_night == D("1.65") and uncapped.amount == D("9.90")  # only the 2 adults pay
    # 120 € for 2 occupants: 60 € per person, 5 % = 3 €, capped at the commune's highest tariff, 2,50 €.
    capped = quote(taxed_lodging, adults=2, nights=3)
    assert capped.communal_per_night == D("2.50")
    assert capped.per_adult_night == D("2.75") and capped.amount == D("16.50")


def test_the_cap_staff_entered_wins_over_the_highest_tariff(taxed_lodging, commune):
    taxed_lodging.tax_classification = "non_classe"
    Tariff.objects.filter(commune=commune, category="non_classe").update(cap=D("2.30"))  # the 4-star ceiling
    assert quote(taxed_lodging, adults=1, nightly="200.00", nights=1).communal_per_night == D("2.30")


def test_the_formula_rounds_half_up_and_counts_every_occupant():
    assert rules.non_classified_per_person_night(nightly_price=D("95.00"), occupants=3, rate_percent=D("4.4"),
                                                 cap=D("3.75")) == D("1.39")  # 31,666… × 4,4 % = 1,3933
    assert rules.non_classified_per_person_night(nightly_price=D("25.00"), occupants=1, rate_percent=D("5"),
                                                 cap=D("4.60")) == D("1.25")
    with pytest.raises(ValueError):
        rules.non_classified_per_person_night(nightly_price=D("10"), occupants=0, rate_percent=D("5"), cap=D("1"))


def test_minors_are_exempt(taxed_lodging):
    assert quote(taxed_lodging, adults=2, children=3).amount == quote(taxed_lodging, adults=2).amount == D("7.92")
    assert quote(taxed_lodging, adults=1, children=3).amount == D("3.96")


def test_a_regional_additional_tax_comes_on_top(taxed_lodging, commune):
    Tariff.objects.filter(commune=commune, category="3").update(regional_rate=D("200"))  # Île-de-France
    tax = quote(taxed_lodging, adults=1, nights=1)
    assert (tax.communal_per_night, tax.departmental_per_night, tax.regional_per_night) == (
        D("1.20"), D("0.12"), D("2.40"))
    assert tax.amount == D("3.72")


def test_the_tariff_in_force_on_the_arrival_day_applies(taxed_lodging, commune):
    Tariff.objects.filter(commune=commune, category="3").update(valid_until=date(2027, 1, 1))
    Tariff.objects.create(commune=commune, category="3", valid_from=date(2027, 1, 1), per_person_night=D("1.50"))
    assert quote(taxed_lodging, arrival=date(2026, 12, 30), adults=1, nights=1).communal_per_night == D("1.20")
    assert quote(taxed_lodging, arrival=date(2027, 1, 1), adults=1, nights=1).communal_per_night == D("1.50")


# --- On the booking -------------------------------------------------------------------------------

def test_the_tax_is_frozen_on_the_stay_and_shown_as_its_own_line_outside_the_price(taxed_lodging, unit, traveller):
    booking = book(unit, traveller, adults=2, children=1)
    row = BookingTax.objects.get(booking=booking)
    assert (row.status, row.nights, row.adults, row.occupants, row.amount) == (TaxStatus.COLLECTED, 3, 2, 3, D("7.92"))
    assert booking.total_price == D("400.00")  # 3 × 120 € + 40 €: the commission base, without the tax
    assert booking.total_to_pay == D("407.92")
    labels = [line["label"] for line in booking.price_breakdown]
    assert labels[-1] == "Taxe de séjour (2 adultes × 3 nuits × 1,32\u00a0€)"
    assert booking.price_breakdown[-1]["amount"] == D("7.92")
    # A later tariff change does not touch a stay already booked.
    Tariff.objects.filter(category="3").update(per_person_night=D("2.00"))
    booking.refresh_from_db()
    assert booking.tourist_tax_amount == D("7.92")


def test_the_card_pays_price_and_tax_and_the_commission_is_on_the_price_only(taxed_lodging, unit, owner, traveller):
    booking = book(unit, traveller)
    bookings.accept(booking=booking, by=owner, now=timezone.now())
    assert amount_due(booking) == D("407.92")
    bookings.confirm_payment(booking=booking, amount_paid=D("407.92"), now=timezone.now())
    booking.refresh_from_db()
    assert booking.commission_amount == D("52.00")  # 13 % of 400 €
    assert booking.owner_net == D("348.00")


def test_a_professional_host_collects_the_tax_themselves(taxed_lodging, unit, traveller, client):
    taxed_lodging.host_is_professional = True
    taxed_lodging.save()
    booking = book(unit, traveller)
    assert booking.tourist_tax.status == TaxStatus.HOST_COLLECTS and booking.tourist_tax_amount == 0
    assert amount_due(booking) == D("400.00")
    line = booking.price_breakdown[-1]
    assert line["label"] == "Taxe de séjour" and line["amount"] is None
    assert line["note"] == "réglée sur place auprès de l'hôte"
    client.force_login(traveller)
    page = client.get(reverse("trip_detail", args=[booking.reference])).content.decode()
    assert "réglée sur place auprès de l&#x27;hôte" in page or "réglée sur place auprès de l'hôte" in page


def test_a_missing_tariff_still_books_with_no_tax_and_tells_staff_once(lodging, unit, traveller, other_owner,
                                                                       mailoutbox, settings, staff, client,
                                                                       django_capture_on_commit_callbacks):
    lodging.commune_insee = "41149"  # no tariff for Montoire-sur-le-Loir
    lodging.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = book(unit, traveller)
        second = book(unit, traveller, arrival=timezone.localdate() + timedelta(days=60))
    assert first.status == second.status == "requested"
    assert first.tourist_tax.status == TaxStatus.NO_TARIFF and first.tourist_tax_amount == 0
    assert amount_due(first) == D("400.00")
    assert not any(line["label"].startswith("Taxe") for line in first.price_breakdown)
    alerts = [mail for mail in mailoutbox if "Taxe de séjour non calculée" in mail.subject]
    assert len(alerts) == 1 and alerts[0].to == [settings.STAFF_INBOX_OWNERS]
    assert "41149" in alerts[0].subject and first.reference in alerts[0].body
    assert TaxAlert.objects.count() == 1
    # The admin flags both stays.
    client.force_login(staff)
    page = client.get(reverse("admin:touristtax_bookingtax_changelist"), {"status__exact": "no_tariff"})
    assert page.status_code == 200
    html = page.content.decode()
    assert first.reference in html and second.reference in html


def test_experiences_never_carry_the_tax(taxed_lodging, session, traveller):
    booking = bookings.book_session(traveller=traveller, session=session, adults=2, children=0, now=timezone.now())
    assert not BookingTax.objects.filter(booking=booking).exists()
    assert booking.tourist_tax_amount == 0 and booking.total_to_pay == booking.total_price
    assert amount_due(booking) == booking.total_price
    assert not any("Taxe" in line["label"] for line in booking.price_breakdown)


# --- What the traveller sees ---------------------------------------------------------------------

def test_the_lodging_page_quote_and_the_booking_form_show_the_tax_line(taxed_lodging, unit, traveller, client):
    taxed_lodging.domain.status = "published"
    from lodgings.services import refresh_search_columns

    refresh_search_columns(lodging=taxed_lodging)
    answer = client.get(reverse("api_unit_quote", args=[unit.pk]),
                        {"arrival": "2027-06-07", "departure": "2027-06-10", "adults": 2, "children": 1})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["lines"][-1]["label"] == "Taxe de séjour (2 adultes × 3 nuits × 1,32\u00a0€)"
    assert data["total"] == "407.92"
    client.force_login(traveller)
    form = client.get(reverse("booking_start", args=[unit.pk]),
                      {"arrival": "2027-06-07", "departure": "2027-06-10", "adults": 2, "children": 0})
    assert form.status_code == 200
    html = form.content.decode()
    assert "Taxe de séjour (2 adultes × 3 nuits × 1,32\u00a0€)" in html and "407,92\u00a0€" in html


def test_the_confirmation_email_and_trip_page_show_the_tax(taxed_lodging, unit, owner, traveller, client, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    booking = book(unit, traveller)
    bookings.accept(booking=booking, by=owner, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        bookings.confirm_payment(booking=booking, amount_paid=D("407.92"), now=timezone.now())
    confirmation = next(mail for mail in mailoutbox if traveller.email in mail.to)
    assert "Taxe de séjour (2 adultes × 3 nuits × 1,32\u00a0€) — 7,92\u00a0€" in confirmation.body
    assert "407,92\u00a0€" in confirmation.body
    client.force_login(traveller)
    page = client.get(reverse("trip_detail", args=[booking.reference])).content.decode()
    assert "Taxe de séjour" in page and "407,92" in page


# --- Staff and owners: bad input never fails --------------------------------------------------------

@pytest.mark.parametrize("code", ["ABCDE", "1234", "493280", "2C123", "<script>"])
def test_the_admin_refuses_a_bad_insee_code_with_a_message(client, staff, code):
    client.force_login(staff)
    response = client.post(reverse("admin:touristtax_commune_add"), {
        "insee_code": code, "name": "X", "departement": "", "tariffs-TOTAL_FORMS": "0",
        "tariffs-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un code INSEE a 5 caractères" in html or "au plus 5 caractères" in html
    assert not Commune.objects.exists()


def test_the_admin_refuses_a_tariff_without_its_amount_or_overlapping_another(client, staff, commune):
    client.force_login(staff)
    url = reverse("admin:touristtax_tariff_add")
    base = {"commune": commune.pk, "valid_from": "2030-01-01", "departmental_rate": "10", "regional_rate": "0"}
    missing = client.post(url, {**base, "category": "non_classe"})
    assert missing.status_code == 200 and "est un pourcentage" in missing.content.decode()
    overlap = client.post(url, {**base, "category": "3", "valid_from": "2025-01-01", "per_person_night": "1"})
    assert overlap.status_code == 200 and "déjà en vigueur" in overlap.content.decode()
    nonsense = client.post(url, {**base, "category": "3", "per_person_night": "-1", "valid_until": "2029-01-01"})
    assert nonsense.status_code == 200
    assert Tariff.objects.filter(valid_from__year__in=[2025, 2030]).count() == 0


@pytest.mark.parametrize("period", ["", "2026-S3", "abc", "9999-S1", "2026-S1'--"])
def test_the_declaration_page_takes_any_period_without_failing(client, staff, commune, period):
    client.force_login(staff)
    response = client.get(reverse("admin:touristtax_declaration", args=[commune.pk]), {"periode": period})
    assert response.status_code == 200
    assert client.get(reverse("admin:touristtax_declaration", args=[99999])).status_code == 404


def test_the_owner_sets_commune_and_classification_in_the_lodging_wizard(owner_client, lodging):
    url = reverse("lodging_wizard", kwargs={"pk": lodging.pk, "step": "taxe"})
    lodging.status = "draft"
    lodging.save()
    page = owner_client.get(url)
    assert page.status_code == 200 and "Code INSEE de la commune" in page.content.decode()
    bad = owner_client.post(url, {"commune_insee": "49 400x", "tax_classification": "3"})
    assert bad.status_code == 200 and "Un code INSEE a 5 caractères" in bad.content.decode()
    unknown = owner_client.post(url, {"commune_insee": "49328", "tax_classification": "étoiles"})
    assert unknown.status_code == 200
    rooms_only = owner_client.post(url, {"commune_insee": "49328", "tax_classification": "chambres_hotes"})
    assert rooms_only.status_code == 200 and "réservé aux chambres" in rooms_only.content.decode()
    good = owner_client.post(url, {"commune_insee": "2a 004", "tax_classification": "4",
                                   "host_is_professional": "on"})
    assert good.status_code == 302
    lodging.refresh_from_db()
    assert (lodging.commune_insee, lodging.tax_classification, lodging.host_is_professional) == ("2A004", "4", True)


def test_on_a_published_lodging_the_tax_fields_wait_for_staff_approval(owner_client, lodging):
    from domains.moderation import pending_revision

    url = reverse("lodging_wizard", kwargs={"pk": lodging.pk, "step": "taxe"})
    response = owner_client.post(url, {"commune_insee": "49328", "tax_classification": "5"})
    assert response.status_code == 302
    lodging.refresh_from_db()
    assert (lodging.commune_insee, lodging.tax_classification) == ("", "non_classe")  # online version unchanged
    assert pending_revision(lodging).changes["tax_classification"] == "5"
    summary = owner_client.get(reverse("lodging_wizard", kwargs={"pk": lodging.pk, "step": "soumettre"}))
    assert summary.status_code == 200 and "Meublé de tourisme 5 étoiles" in summary.content.decode()
