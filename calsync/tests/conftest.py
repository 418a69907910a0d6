"""Calsync fixtures: the project's gîte (conftest.py) open to single nights, a chambres
d'hôtes with rooms, another owner's domain, bookings, feeds on a local server."""
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

import pytest

from bookings.models import Booking, BookingKind, BookingStatus
from domains.models import Domain, OfferStatus
from lodgings.models import Lodging, Unit

# Tuesday 1 December 2026, 07:00 in Paris: the day of airbnb_window_day1.ics.
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
_references = count(1)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def allow_loopback(settings):
    """Feeds served by pytest-httpserver on 127.0.0.1 (the SSRF guard refuses it otherwise)."""
    settings.CALSYNC_ALLOW_LOOPBACK = True
    settings.CALSYNC_CONNECT_TIMEOUT = 1.0
    settings.CALSYNC_READ_TIMEOUT = 1.0
    settings.CALSYNC_FETCH_DEADLINE = 3.0
    return settings


@pytest.fixture
def lodging(lodging):
    """The project's gîte (conftest.py), bookable for any night from today: calendar tests
    book single nights without waiting for an owner."""
    lodging.booking_mode, lodging.min_nights, lodging.advance_notice_days = "instant", 1, 0
    lodging.save(update_fields=["booking_mode", "min_nights", "advance_notice_days"])
    return lodging


@pytest.fixture
def rooms_lodging(domain):
    lodging = Lodging.objects.create(domain=domain, kind="chambres_hotes", title="Chambres du Meunier",
                                     slug="chambres-meunier", status=OfferStatus.PUBLISHED)
    for position, name in enumerate(["Chambre bleue", "Chambre rouge"]):
        Unit.objects.create(lodging=lodging, name=name, position=position, nightly_price=Decimal("95.00"))
    return lodging


@pytest.fixture
def other_domain(other_owner):
    domain = Domain.objects.create(owner=other_owner, name="Manoir d'Armand", slug="manoir-armand",
                                   heritage_kind="manoir", status=OfferStatus.PUBLISHED)
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Le Manoir", slug="le-manoir",
                                     status=OfferStatus.PUBLISHED)
    Unit.objects.create(lodging=lodging, name="Le Manoir", nightly_price=Decimal("200.00"))
    return domain


def make_booking(unit: Unit, traveller, arrival: date, departure: date, status=BookingStatus.CONFIRMED,
                 **extra) -> Booking:
    return Booking.objects.create(reference=f"AH{next(_references):06d}", kind=BookingKind.STAY,
                                  traveller=traveller, owner=unit.lodging.domain.owner, unit=unit,
                                  arrival=arrival, departure=departure, status=status,
                                  total_price=Decimal("300.00"), **extra)


@pytest.fixture
def book(traveller):
    def _book(unit, arrival, departure, status=BookingStatus.CONFIRMED, **extra):
        return make_booking(unit, traveller, arrival, departure, status, **extra)

    return _book


def ics(*events: tuple[str, str, str] | tuple[str, str, str, str]) -> bytes:
    """A minimal Airbnb-style feed: events as (start, end, uid[, summary]) with YYYYMMDD dates."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN"]
    for event in events:
        start, end, uid, *rest = event
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261201T000000Z", f"DTSTART;VALUE=DATE:{start}",
                  f"DTEND;VALUE=DATE:{end}", f"SUMMARY:{rest[0] if rest else 'Reserved'}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
