from decimal import Decimal

import pytest

from domains.models import Domain, OfferStatus
from lodgings.models import Lodging, Unit
from lodgings.services import refresh_search_columns

pytestmark = pytest.mark.django_db


def test_units_are_listed_only_when_lodging_and_domain_are_published(owner):
    domain = Domain.objects.create(owner=owner, name="Moulin", slug="moulin", heritage_kind="moulin",
                                   region="bretagne", status=OfferStatus.PUBLISHED)
    lodging = Lodging.objects.create(domain=domain, kind="chambres_hotes", title="Chambres", slug="chambres")
    room = Unit.objects.create(lodging=lodging, name="Bleue", nightly_price=Decimal("90"), adults_capacity=2,
                               children_capacity=1)
    hidden = Unit.objects.create(lodging=lodging, name="Verte", nightly_price=Decimal("80"), is_active=False)
    refresh_search_columns(lodging=lodging)
    assert not Unit.objects.get(pk=room.pk).is_listed
    lodging.status = OfferStatus.PUBLISHED
    lodging.save()
    refresh_search_columns(lodging=lodging)
    room.refresh_from_db()
    hidden.refresh_from_db()
    assert room.is_listed and room.region == "bretagne" and room.max_guests == 3
    assert not hidden.is_listed
