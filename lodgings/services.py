"""Lodging rules. The offers issue adds the wizard's services here."""
from django.db.models import F

from domains.moderation import OfferStatus

from .models import Lodging, Unit


def refresh_search_columns(*, lodging: Lodging) -> None:
    """Copy what search filters on onto the lodging's units (one composite index serves
    filter + sort). Call it whenever the lodging, its domain or its units change status,
    region or capacity."""
    listed = (lodging.status == OfferStatus.PUBLISHED and lodging.domain.status == OfferStatus.PUBLISHED)
    Unit.objects.filter(lodging=lodging).update(
        is_listed=listed and F("is_active"),
        region=lodging.domain.region,
        max_guests=F("adults_capacity") + F("children_capacity"),
    )
