"""Demo bookings on the published demo offers, through the real services (idempotent):
a request waiting for an answer, an accepted one waiting for payment, confirmed stays and
places in an experience session. Runs after the offers' seeders; the card-paid, cancelled and
refunded stays are payouts/demo.py's."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from core.dates import today_in_paris
from domains.models import OfferStatus
from experiences.models import Session
from lodgings.models import Unit

from . import services
from .models import Booking

DEMO_TRAVELLERS = ["lucie@demo.almaheritage.fr", "james@demo.almaheritage.fr"]


def _first_possible_stay(traveller: User, unit: Unit, *, after_days: int, now):
    """The first stay the lodging's rules accept (weekdays, minimum nights), from after_days on."""
    nights = max(unit.lodging.min_nights, 2)
    today = today_in_paris(now)
    for offset in range(after_days, after_days + 21):
        arrival = today + timedelta(days=offset)
        try:
            return services.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                         departure=arrival + timedelta(days=nights), adults=2, children=0,
                                         message="Bonjour, nous serions ravis de découvrir votre domaine.", now=now)
        except services.BookingError:
            continue
    return None


def seed(*, stdout) -> None:
    travellers = list(User.objects.filter(email__in=DEMO_TRAVELLERS).order_by("email"))
    if not travellers or Booking.objects.filter(traveller__in=travellers).exists():
        stdout.write("bookings: nothing to add")
        return
    now = timezone.now()
    units = list(Unit.objects.filter(is_active=True, lodging__status=OfferStatus.PUBLISHED,
                                     lodging__domain__status=OfferStatus.PUBLISHED)
                 .select_related("lodging__domain__owner").order_by("pk")[:4])
    made = 0
    for index, unit in enumerate(units):
        traveller, owner = travellers[index % len(travellers)], unit.lodging.domain.owner
        booking = _first_possible_stay(traveller, unit, after_days=20 + 10 * index, now=now)
        if booking is None:
            continue
        made += 1
        if booking.status == "requested" and index >= 1:
            services.accept(booking=booking, by=owner, now=now)
        if booking.status in ("awaiting_payment", "checkout") and index >= 2:
            services.confirm_payment(booking=booking, amount_paid=booking.total_to_pay, now=now)
        # A cancelled stay with its refund is payouts/demo.py's: refunding needs a card payment.
    session = (Session.objects.filter(is_active=True, start__gt=now + timedelta(days=2),
                                      experience__status=OfferStatus.PUBLISHED,
                                      experience__domain__status=OfferStatus.PUBLISHED).order_by("start").first())
    if session is not None and session.places_left >= 2:
        booking = services.book_session(traveller=travellers[0], session=session, adults=2, children=0, now=now)
        if booking.status == "checkout":
            services.confirm_payment(booking=booking, amount_paid=booking.total_price or Decimal("0"), now=now)
        made += 1
    stdout.write(f"bookings: {made} demo booking(s) created")
