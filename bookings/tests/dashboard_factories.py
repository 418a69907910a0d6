"""Bookings in every state for the owner dashboard and export tests, made with the ORM
(the booking flows have their own tests; here only what the owner sees matters)."""
import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bookings.models import Booking, BookingStatus
from domains.models import Domain, OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging, Unit

D = date.fromisoformat
# Monday 3 May 2027, 12:00 in Paris: "today" of these tests.
TODAY = D("2027-05-03")
NOW = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
_numbers = itertools.count(1)


def make_unit(owner, *, name: str = "Château de Talcy", lodging: str = "Le Pavillon", room: str = "Chambre bleue",
              price: str = "120.00") -> Unit:
    n = next(_numbers)
    domain = Domain.objects.create(owner=owner, name=name, slug=f"domaine-{n}", heritage_kind="chateau",
                                   status=OfferStatus.PUBLISHED)
    stay = Lodging.objects.create(domain=domain, kind="chambres_hotes", title=lodging, slug=f"logis-{n}",
                                  status=OfferStatus.PUBLISHED, min_nights=1, max_nights=30, advance_notice_days=0)
    return Unit.objects.create(lodging=stay, name=room, nightly_price=Decimal(price), adults_capacity=4,
                               children_capacity=2)


def make_session(owner, *, start: datetime = datetime(2027, 6, 12, 13, 0, tzinfo=UTC)) -> Session:
    n = next(_numbers)
    domain = Domain.objects.create(owner=owner, name="Moulin de Rosmadec", slug=f"moulin-{n}", heritage_kind="moulin",
                                   status=OfferStatus.PUBLISHED)
    experience = Experience.objects.create(domain=domain, title="Atelier meunerie", slug=f"atelier-{n}",
                                           category="workshop", capacity=10, price_per_person=Decimal("45.00"),
                                           status=OfferStatus.PUBLISHED)
    return Session.objects.create(experience=experience, start=start, end=start + timedelta(hours=2), capacity=10)


def make_booking(*, traveller, unit: Unit | None = None, session: Session | None = None,
                 status: str = BookingStatus.CONFIRMED, arrival: str | date = "2027-05-10",
                 departure: str | date | None = None, total: str = "240.00", refunded: str = "0",
                 adults: int = 2, children: int = 0, reference: str | None = None, **extra) -> Booking:
    arrival = D(arrival) if isinstance(arrival, str) else arrival
    departure = D(departure) if isinstance(departure, str) else departure
    paid = Decimal(total) if status in (BookingStatus.CONFIRMED, BookingStatus.CANCELLED) else Decimal("0")
    owner = unit.lodging.domain.owner if unit else session.experience.domain.owner
    if session:
        arrival = session.start.date()
        departure = arrival + timedelta(days=1)
    elif departure is None:
        departure = arrival + timedelta(days=2)
    if status == BookingStatus.REQUESTED:
        extra.setdefault("respond_by", NOW + timedelta(days=3))
    if status == BookingStatus.AWAITING_PAYMENT:
        extra.setdefault("pay_by", NOW + timedelta(hours=48))
    if status == BookingStatus.CHECKOUT:
        extra.setdefault("hold_until", NOW + timedelta(minutes=30))
    if paid:
        extra.setdefault("paid_at", NOW - timedelta(days=20))
    nights = (departure - arrival).days
    lines = ([{"code": "nights", "quantity": nights, "unit_price": str(Decimal(total) / nights),
               "amount": total}] if unit else
             [{"code": "persons", "quantity": adults + children, "unit_price": "45.00", "amount": total}])
    return Booking.objects.create(
        reference=reference or f"AH-T{next(_numbers):05d}", kind="stay" if unit else "experience",
        traveller=traveller, owner=owner, unit=unit, session=session, arrival=arrival, departure=departure,
        adults=adults, children=children, status=status, total_price=Decimal(total), amount_paid=paid,
        refunded_amount=Decimal(refunded), price_lines=lines, **extra)
