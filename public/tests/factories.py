"""Offers built straight through the ORM, published or not, for the public site's tests."""
import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from bookings.models import Booking, BookingStatus, ExternalBlock
from domains.models import Domain, OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging, Suspension, Unit
from lodgings.services import refresh_search_columns

_seq = itertools.count(1)
PUBLISHED = OfferStatus.PUBLISHED


def make_domain(owner, *, name: str = "", status: str = PUBLISHED, **fields) -> Domain:
    n = next(_seq)
    name = name or f"Château n°{n}"
    defaults = {"heritage_kind": "chateau", "region": "centre-val-de-loire", "departement": "37",
                "commune": "Amboise", "latitude": Decimal("47.41"), "longitude": Decimal("0.98"),
                "history": "Bâti au XVIe siècle sur les bords de Loire."}
    return Domain.objects.create(owner=owner, name=name, slug=f"domaine-{n}", status=status,
                                 **{**defaults, **fields})


def make_lodging(domain: Domain, *, title: str = "", status: str = PUBLISHED, **fields) -> Lodging:
    n = next(_seq)
    defaults = {"kind": "gite", "cleaning_fee": Decimal("40"), "min_nights": 1, "advance_notice_days": 0}
    return Lodging.objects.create(domain=domain, title=title or f"Le Logis n°{n}", slug=f"logis-{n}", status=status,
                                  **{**defaults, **fields})


def make_unit(lodging: Lodging, *, price: str = "120", adults: int = 2, children: int = 0, **fields) -> Unit:
    unit = Unit.objects.create(lodging=lodging, name=fields.pop("name", f"Chambre {next(_seq)}"),
                               nightly_price=Decimal(price), adults_capacity=adults, children_capacity=children,
                               **fields)
    refresh_search_columns(lodging=lodging)
    unit.refresh_from_db()
    return unit


def listed_unit(owner, *, price: str = "120", adults: int = 2, domain: Domain | None = None, **lodging_fields) -> Unit:
    domain = domain or make_domain(owner)
    return make_unit(make_lodging(domain, **lodging_fields), price=price, adults=adults)


def stay(unit: Unit, traveller, arrival: date, departure: date, *, status=BookingStatus.CONFIRMED,
         donation: str | None = None) -> Booking:
    return Booking.objects.create(
        reference=f"P{next(_seq):06d}", kind="stay", traveller=traveller, owner=unit.lodging.domain.owner, unit=unit,
        arrival=arrival, departure=departure, status=status, total_price=Decimal("240"),
        donation_amount=Decimal(donation) if donation else None)


def block(unit: Unit, start: date, end: date) -> ExternalBlock:
    return ExternalBlock.objects.create(unit=unit, start=start, end=end, feed_id=1, source_name="Airbnb")


def suspend(unit: Unit, start: date, end: date) -> Suspension:
    return Suspension.objects.create(lodging=unit.lodging, start=start, end=end)


def make_experience(domain: Domain, *, status: str = PUBLISHED, price: str = "35", **fields) -> Experience:
    n = next(_seq)
    defaults = {"category": "workshop", "capacity": 8, "meeting_point": "Devant la chapelle", "languages": "fr,en"}
    return Experience.objects.create(domain=domain, title=fields.pop("title", f"Atelier vitrail n°{n}"),
                                     slug=f"atelier-{n}", status=status, price_per_person=Decimal(price),
                                     **{**defaults, **fields})


def make_session(experience: Experience, start: datetime, *, capacity: int = 8, taken: int = 0, **fields) -> Session:
    return Session.objects.create(experience=experience, start=start,
                                  end=start + timedelta(minutes=experience.duration_minutes),
                                  capacity=capacity, places_taken=taken, **fields)
