"""The feeds an owner imports and the unit's export link: adding (refusing duplicates and
our own export), deleting with their blocks, and regenerating the secret token."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bookings import occupancy
from bookings.models import ExternalBlock
from lodgings.models import Unit

from .fetching import FetchError, check_url
from .messages import explain
from .models import Feed, Platform, UnitCalendar, new_export_token


class FeedError(Exception):
    """A feed the owner typed cannot be used; the message is shown next to the field."""


def add_feed(*, unit: Unit, platform: str, name: str, url: str, now: datetime) -> Feed:
    url = url.strip()
    if Feed.objects.filter(unit=unit, url=url).exists():
        raise FeedError(_("Ce lien iCal est déjà importé pour cette unité."))
    if _is_our_export(url, unit):
        raise FeedError(_("C'est le lien d'export Alma Heritage de cette unité : collez-le sur l'autre plateforme, "
                          "pas ici."))
    try:  # refused now rather than saved and retried every 50 minutes for ever
        check_url(url, allow_loopback=settings.CALSYNC_ALLOW_LOOPBACK)
    except FetchError as error:
        raise FeedError(explain(str(error))) from error
    # Synced at once by the view ("Enregistrer & Synchroniser"); then with the others.
    return Feed.objects.create(unit=unit, platform=platform or Platform.OTHER, name=name.strip(), url=url,
                               next_run_at=now + timedelta(minutes=settings.CALSYNC_INTERVAL_MINUTES))


def _is_our_export(url: str, unit: Unit) -> bool:
    token = UnitCalendar.objects.filter(unit=unit).values_list("token", flat=True).first()
    return bool(token) and token in url


def delete_feed(*, feed: Feed) -> None:
    """The feed and its blocks go: those nights become free on Alma Heritage."""
    with transaction.atomic(), occupancy.batched():
        ExternalBlock.objects.filter(feed_id=feed.pk).delete()
        feed.delete()


def export_calendar(*, unit: Unit) -> UnitCalendar:
    calendar, _created = UnitCalendar.objects.get_or_create(unit=unit)
    return calendar


def regenerate_token(*, unit: Unit, now: datetime) -> UnitCalendar:
    """A new secret link; the old one answers 404 from now on."""
    calendar = export_calendar(unit=unit)
    calendar.token = new_export_token()
    calendar.regenerated_at = now
    calendar.save(update_fields=["token", "regenerated_at"])
    return calendar
