"""Demo reviews: stays of the demo travellers that ended a few weeks ago, made through the
real booking services with the clock set back, then reviewed — one answered by its owner,
one with an open complaint in the staff queue. Runs after the bookings' seeder (idempotent)."""
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from bookings import services as bookings
from bookings.demo import DEMO_TRAVELLERS
from bookings.models import BookingStatus
from core.dates import today_in_paris
from domains.models import OfferStatus
from lodgings.models import Unit

from . import services
from .models import Review

REVIEWS = [
    ({"rating": 5, "cleanliness": 5, "welcome": 5, "heritage": 5, "value": 4},
     "Un accueil chaleureux et une maison pleine d'histoire. Le propriétaire nous a fait visiter la chapelle "
     "et raconté les travaux de restauration.\nNous reviendrons !"),
    ({"rating": 4, "cleanliness": 4, "welcome": 5, "heritage": 5, "value": 3},
     "Lovely stay in a beautiful historic place. A bit pricey, but the breakfast and the park made up for it."),
    ({"rating": 2, "cleanliness": 2, "welcome": 3, "heritage": 4, "value": 2},
     "Le lieu est superbe mais la chambre n'était pas prête à notre arrivée et le chauffage ne marchait pas."),
]


def _past_stay(traveller: User, unit: Unit, *, ended_days_ago: int):
    """A stay booked 30 days before it began and ending `ended_days_ago` days ago."""
    now = timezone.now()
    nights = max(unit.lodging.min_nights, 2)
    then = now - timedelta(days=ended_days_ago + nights + 30)
    for offset in range(30, 40):
        arrival = today_in_paris(then) + timedelta(days=offset)
        try:
            booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                            departure=arrival + timedelta(days=nights), adults=2, children=0, now=then)
        except bookings.BookingError:
            continue
        if booking.status == BookingStatus.REQUESTED:
            bookings.accept(booking=booking, by=unit.lodging.domain.owner, now=then)
        bookings.confirm_payment(booking=booking, amount_paid=booking.total_price, now=then)
        booking.refresh_from_db()
        return booking if booking.status == BookingStatus.CONFIRMED else None
    return None


def seed(*, stdout) -> None:
    travellers = list(User.objects.filter(email__in=DEMO_TRAVELLERS).order_by("email"))
    if not travellers or Review.objects.filter(author__in=travellers).exists():
        stdout.write("reviews: nothing to add")
        return
    units = list(Unit.objects.filter(is_active=True, is_listed=True, lodging__status=OfferStatus.PUBLISHED,
                                     lodging__domain__status=OfferStatus.PUBLISHED)
                 .select_related("lodging__domain__owner").order_by("pk")[:2])
    made = 0
    for index, (ratings, text) in enumerate(REVIEWS):
        if not units:
            break
        unit, traveller = units[index % len(units)], travellers[index % len(travellers)]
        booking = _past_stay(traveller, unit, ended_days_ago=20 - 6 * index)
        if booking is None:
            continue
        review = services.write_review(booking=booking, author=traveller, ratings=ratings, text=text,
                                       now=booking.service_end + timedelta(days=1))
        owner = unit.lodging.domain.owner
        if index == 0:
            services.reply(review=review, by=owner, text="Merci pour ce beau message, au plaisir de vous revoir !",
                           now=review.created_at + timedelta(hours=5))
        if index == 2:
            services.file_complaint(review=review, by=owner, reason="false_facts",
                                    explanation="Le chauffage a été réparé dans l'heure, le voyageur l'a reconnu.",
                                    now=review.created_at + timedelta(hours=3))
        made += 1
    # A past stay still waiting for its review, for "Mes voyages > Mes avis".
    if units and _past_stay(travellers[0], units[-1], ended_days_ago=2):
        made += 1
    stdout.write(f"reviews: {made} past stay(s), {Review.objects.filter(author__in=travellers).count()} review(s)")
