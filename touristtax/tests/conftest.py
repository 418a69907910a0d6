from datetime import date
from decimal import Decimal

import pytest

from touristtax.models import Commune, Tariff

D = Decimal


@pytest.fixture
def commune(db) -> Commune:
    """Saumur, with a grid in force since 2024: 3 étoiles 1,20 €, chambres d'hôtes 0,80 €, the
    highest 2,50 € (5 étoiles), non classés 5 % (cap: the highest), département's 10 % on top."""
    commune = Commune.objects.create(insee_code="49328", name="Saumur", departement="49")
    for category, amount in [("1", "0.80"), ("chambres_hotes", "0.80"), ("3", "1.20"), ("5", "2.50")]:
        Tariff.objects.create(commune=commune, category=category, valid_from=date(2024, 1, 1),
                              per_person_night=D(amount))
    Tariff.objects.create(commune=commune, category="non_classe", valid_from=date(2024, 1, 1), rate_percent=D("5"))
    return commune


@pytest.fixture
def taxed_lodging(lodging, commune):
    """The conftest gîte (120 € a night, 40 € cleaning, 4 adults + 2 children), in Saumur, 3 étoiles."""
    lodging.commune_insee, lodging.tax_classification, lodging.host_is_professional = "49328", "3", False
    lodging.save()
    return lodging
