"""Lodging rules: search columns, units, suspensions."""
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from domains.models import Domain, OfferStatus
from domains.signals import content_changed
from domains.slugs import unique_slug

from .models import Lodging, LodgingKind, Suspension, Unit


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
    # Which rooms are listed shows on the lodging and domain pages (an UPDATE: no post_save).
    content_changed.send(sender=Lodging, domain_id=lodging.domain_id, lodging_id=lodging.pk)


def refresh_domain_lodgings(domain: Domain) -> None:
    for lodging in Lodging.objects.filter(domain=domain).select_related("domain"):
        refresh_search_columns(lodging=lodging)


def submission_problems(lodging: Lodging, today: date) -> list[str]:
    problems = []
    units = lodging.units.filter(is_active=True).count()
    if not lodging.description.strip():
        problems.append(_("Décrivez l'hébergement (étape « Description »)."))
    if units == 0:
        problems.append(_("Ajoutez au moins une chambre ou le gîte (étape « Chambres / gîte »)."))
    if lodging.kind == LodgingKind.GITE and units > 1:
        problems.append(_("Un gîte se loue en entier : il ne compte qu'une seule unité."))
    return problems


def validate_suspension(*, start: date | None, end: date | None, today: date) -> None:
    errors = {}
    if start and end and end <= start:
        errors["end"] = _("La date de fin doit être après la date de début.")
    if start and start < today:
        errors["start"] = _("Une suspension ne peut pas commencer dans le passé.")
    if errors:
        raise ValidationError(errors)


# Who holds a lodging's nights is the bookings app's knowledge, above this one: it registers
# a finder (bookings/apps.py) that names the live bookings a new suspension overlaps.
_suspension_conflict_finders: list[Callable[[Lodging, date, date], list[str]]] = []


def register_suspension_conflict_finder(finder: Callable[[Lodging, date, date], list[str]]) -> None:
    if finder not in _suspension_conflict_finders:
        _suspension_conflict_finders.append(finder)


def bookings_during(*, lodging: Lodging, start: date, end: date) -> list[str]:
    """References of the live bookings of the lodging over [start, end): a suspension hides
    the lodging from new travellers but never cancels them, and the owner is told so."""
    return [reference for finder in _suspension_conflict_finders for reference in finder(lodging, start, end)]


@transaction.atomic
def add_suspension(*, lodging: Lodging, start: date, end: date, reason: str, today: date) -> Suspension:
    """Hide the lodging for [start, end): unbookable and absent from search for those nights."""
    validate_suspension(start=start, end=end, today=today)
    suspension = Suspension.objects.create(lodging=lodging, start=start, end=end, reason=reason)
    refresh_search_columns(lodging=lodging)
    return suspension


@transaction.atomic
def remove_suspension(*, suspension: Suspension) -> None:
    lodging = suspension.lodging
    suspension.delete()
    refresh_search_columns(lodging=lodging)


def unique_lodging_slug(title: str) -> str:
    return unique_slug(Lodging, title)
