import pytest
from django.core.management import call_command

from lodgings.models import Lodging
from touristtax.models import BookingTax, Commune, TaxStatus
from touristtax.services import tariff_for

pytestmark = pytest.mark.django_db


def test_the_demo_lodgings_have_communes_classifications_and_tariffs():
    call_command("seed_demo")
    lodgings = list(Lodging.objects.all())
    assert all(lodging.commune_insee for lodging in lodgings)
    assert {"chambres_hotes", "non_classe", "3", "4"} <= {lodging.tax_classification for lodging in lodgings}
    assert any(lodging.host_is_professional for lodging in lodgings)
    communes = {c.insee_code: c for c in Commune.objects.prefetch_related("tariffs")}
    assert "49328" in communes and "41149" not in communes  # Montoire is left without a tariff on purpose
    saumur = communes["49328"]
    assert tariff_for(saumur, "non_classe", saumur.tariffs.first().valid_from).rate_percent == 5
    assert all(tariff.source for commune in communes.values() for tariff in commune.tariffs.all())
    # The demo's stays were booked after the tariffs: some carry the tax.
    assert BookingTax.objects.filter(status=TaxStatus.COLLECTED, amount__gt=0).exists()
