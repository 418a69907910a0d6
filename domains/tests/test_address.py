"""The address step: the commune's official data check the INSEE code and the postal code."""
import pytest
from django.urls import reverse

from domains.forms import DomainAddressForm

from .factories import make_domain

ADDRESS = {"address_line": "2 rue du Château", "commune": "Montoire-sur-le-Loir", "postal_code": "41800",
           "departement": "41", "region": "centre-val-de-loire", "insee_code": "41149",
           "latitude": "47.7531", "longitude": "0.8653"}


def errors(**changes):
    form = DomainAddressForm({**ADDRESS, **changes})
    form.is_valid()
    return form.errors


def test_a_chosen_commune_is_accepted():
    assert errors() == {}


@pytest.mark.parametrize(("changes", "field"), [
    ({"postal_code": "4180"}, "postal_code"), ({"postal_code": "37000"}, "postal_code"),
    ({"postal_code": "41 80A"}, "postal_code"),
    ({"insee_code": "37261"}, "insee_code"),  # Tours is in the 37
    ({"insee_code": "41999"}, "insee_code"),
    ({"commune": "Vendôme"}, "commune"),  # another commune of the 41 than the code's
])
def test_inconsistent_address_is_a_field_error(changes, field):
    assert field in errors(**changes)


def test_corsica_and_overseas_postal_codes():
    assert errors(commune="Ajaccio", insee_code="2A004", departement="2A", region="corse", postal_code="20000",
                  latitude="41.9192", longitude="8.7386") == {}
    assert "postal_code" in errors(commune="Ajaccio", insee_code="2A004", departement="2A", region="corse",
                                   postal_code="21000")
    assert errors(commune="Basse-Terre", insee_code="97105", departement="971", region="outre-mer",
                  postal_code="97100", latitude="16.0", longitude="-61.7") == {}


def test_a_postal_code_of_the_neighbouring_departement_given_by_the_data():
    # Claret (04) has the postal code 05110 in La Poste's data.
    assert errors(commune="Claret", insee_code="04058", departement="04", region="provence-alpes-cote-d-azur",
                  postal_code="05110") == {}


def test_typed_commune_without_suggestion_gets_its_insee_code(owner_client, owner):
    domain = make_domain(owner)
    response = owner_client.post(reverse("domain_wizard", args=[domain.pk, "adresse"]),
                                 {**ADDRESS, "insee_code": "", "postal_code": "41 800"})
    assert response.status_code == 302
    domain.refresh_from_db()
    assert (domain.insee_code, domain.postal_code, domain.commune) == ("41149", "41800", "Montoire-sur-le-Loir")


def test_address_page_has_the_suggestions_and_the_pin_map(owner_client, owner):
    domain = make_domain(owner, latitude="47.7531", longitude="0.8653", departement="41")
    html = owner_client.get(reverse("domain_wizard", args=[domain.pk, "adresse"])).content.decode()
    assert 'data-places="/api/places"' in html and 'data-places-types="commune"' in html
    assert "data-pin-map" in html and "/carte/departements.svg?focus=41" in html and "geo/pin.js" in html


def test_wrong_postal_code_keeps_what_was_typed(owner_client, owner):
    domain = make_domain(owner)
    response = owner_client.post(reverse("domain_wizard", args=[domain.pk, "adresse"]),
                                 {**ADDRESS, "postal_code": "75001"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce code postal n&#x27;est pas celui du département 41" in html and 'value="2 rue du Château"' in html
