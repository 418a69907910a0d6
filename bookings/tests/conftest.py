"""Published offers to book: a gîte (request mode) and an experience session."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domains.models import Domain, OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging, Unit

# A fixed clock: services take `now`, so tests say exactly when things happen.
NOW = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)  # Monday 3 May 2027, 12:00 in Paris


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def domain(owner):
    return Domain.objects.create(owner=owner, name="Prieuré de Saint-Cosme", slug="saint-cosme",
                                 heritage_kind="prieure", commune="La Riche", status=OfferStatus.PUBLISHED)


@pytest.fixture
def lodging(domain):
    return Lodging.objects.create(domain=domain, kind="gite", title="Le Logis du Prieur", slug="logis-du-prieur",
                                  status=OfferStatus.PUBLISHED, cleaning_fee=Decimal("40.00"), min_nights=2,
                                  max_nights=14, advance_notice_days=1, booking_mode="request",
                                  full_refund_days=14, late_refund_percent=50)


@pytest.fixture
def unit(lodging):
    return Unit.objects.create(lodging=lodging, name="Le Logis", nightly_price=Decimal("120.00"),
                               adults_capacity=4, children_capacity=2)


@pytest.fixture
def instant_unit(unit):
    unit.lodging.booking_mode = "instant"
    unit.lodging.save()
    return unit


@pytest.fixture
def experience(domain):
    return Experience.objects.create(domain=domain, title="Atelier vitrail", slug="atelier-vitrail",
                                     category="workshop", capacity=10, price_per_person=Decimal("45.00"),
                                     child_price=Decimal("20.00"), booking_mode="instant",
                                     full_refund_hours=48, late_refund_percent=0, status=OfferStatus.PUBLISHED)


@pytest.fixture
def session(experience):
    # Saturday 12 June 2027, 15:00 in Paris (13:00 UTC).
    return Session.objects.create(experience=experience, start=datetime(2027, 6, 12, 13, 0, tzinfo=UTC),
                                  end=datetime(2027, 6, 12, 15, 0, tzinfo=UTC), capacity=10)
