"""The owner side of the benchmark data (issue 14), added once to the database that
`bench/search_bench.py` built and kept there: one owner with 5,000 bookings and 500 offers.

- « Grand domaine »: 500 lodgings of one room each and 500 experiences (the public domain
  page and the owner's domains table at 500 × 500);
- « Grand hôtel »: one lodging of 500 rooms (the public lodging page), where the 5,000
  bookings are, 10 per room, from 1,000 travellers (clients list); the first traveller has
  500 of them (« Mes voyages »); an atelier with 500 sessions in the next three months;
- 48 more small domains (the domains table has 3 pages), 24 monthly payouts (Paiements);
- 50 travellers of their own for the concurrency check, and one iCal export link.

Everything is made with bulk inserts; `owner_data()` finds it again on later runs by the
owner's email. Sessions for the owner and the first traveller are written to the database
(the site's session store), so the load generator sends their cookie.
"""
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

OWNER_EMAIL = "grand-proprietaire@bench.example"
N_OFFERS, N_BOOKINGS, N_TRAVELLERS, N_SMALL_DOMAINS, N_RACERS = 500, 5000, 1000, 48, 50


def owner_data(today: date) -> tuple[dict, bool]:
    """Build (first time) or find the owner's data; returns what the scenarios need, and
    whether it was built now."""
    from accounts.models import User

    owner = User.objects.filter(email=OWNER_EMAIL).first()
    built = owner is None
    if built:
        started = time.monotonic()
        _build(today)
        print(f"  owner data: 1 owner, {N_OFFERS} lodgings + {N_OFFERS} experiences, {N_BOOKINGS} bookings "
              f"({time.monotonic() - started:.0f} s)", flush=True)
        owner = User.objects.get(email=OWNER_EMAIL)
    return _describe(owner), built


def _describe(owner) -> dict:
    from accounts.models import User
    from calsync.models import UnitCalendar
    from domains.models import Domain
    from experiences.models import Experience
    from lodgings.models import Lodging, Unit

    big = Domain.objects.get(owner=owner, slug="bench-grand-domaine")
    hotel = Lodging.objects.get(domain__owner=owner, slug="bench-grand-hotel")
    first_unit = Unit.objects.filter(lodging=hotel).order_by("position", "id").first()
    calendar, _created = UnitCalendar.objects.get_or_create(unit=first_unit)
    return {
        "owner": owner,
        "traveller": User.objects.get(email="client0@bench.example"),
        "racers": list(User.objects.filter(email__startswith="racer").order_by("email")),
        "domain_slug": big.slug, "hotel_slug": hotel.slug,
        "small_lodging_slug": Lodging.objects.filter(domain=big).order_by("id").values_list("slug", flat=True)[0],
        "atelier_slug": Experience.objects.get(domain__owner=owner, slug="bench-grand-atelier").slug,
        "contested_units": list(Unit.objects.filter(lodging__slug__startswith="bench-duel").order_by("id")
                                .values_list("pk", flat=True)),
        "quote_unit": first_unit.pk, "ical_token": calendar.token,
    }


def session_cookie(user) -> str:
    """A logged-in session of `user` in the site's session store (as `login()` makes)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(86400)
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _build(today: date) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from accounts.models import OwnerProfile, User
    from bookings.models import Booking, service_end_of
    from domains.models import Domain
    from experiences.models import Experience, Session
    from lodgings.models import Lodging, Unit
    from payouts.models import Payout, PayoutStatus

    rng = random.Random(14)
    now = datetime.now(UTC)
    with transaction.atomic():
        owner = User.objects.create(email=OWNER_EMAIL, password=make_password(None), first_name="Bénédicte",
                                    last_name="Grandval")
        OwnerProfile.objects.create(user=owner)

        def domain(slug: str, name: str) -> Domain:
            return Domain(owner=owner, name=name, slug=slug, heritage_kind="chateau", region="bretagne",
                          departement="29", commune="Locronan", history="Une histoire. " * 10, status="published",
                          latitude=Decimal("48.1"), longitude=Decimal("-4.2"), published_at=now)

        big, grand_hotel, *_small = Domain.objects.bulk_create(
            [domain("bench-grand-domaine", "Grand domaine"), domain("bench-grand-hotel-domaine", "Grand hôtel"),
             *(domain(f"bench-petit-{n}", f"Petit domaine {n}") for n in range(N_SMALL_DOMAINS))])
        lodgings = Lodging.objects.bulk_create(
            [Lodging(domain=big, kind="gite", title=f"Gîte {n:03d}", slug=f"bench-gite-{n}", status="published",
                     booking_mode="instant", max_nights=30) for n in range(N_OFFERS)]
            + [Lodging(domain=grand_hotel, kind="chambres_hotes", title="Grand hôtel", slug="bench-grand-hotel",
                       status="published", booking_mode="request", max_nights=30)]
            + [Lodging(domain=grand_hotel, kind="gite", title=f"Duel {n}", slug=f"bench-duel-{n}",
                       status="published", booking_mode=mode, max_nights=30)
               for n, mode in enumerate(("instant", "request", "instant"))])
        hotel, duels = lodgings[N_OFFERS], lodgings[N_OFFERS + 1:]

        def unit(lodging, name: str, position: int = 0) -> Unit:
            return Unit(lodging=lodging, name=name, position=position, adults_capacity=2, children_capacity=1,
                        nightly_price=Decimal(rng.randint(80, 300)), is_listed=True, region="bretagne", max_guests=3)

        Unit.objects.bulk_create([unit(lodging, "Le gîte") for lodging in lodgings[:N_OFFERS]])
        rooms = Unit.objects.bulk_create([unit(hotel, f"Chambre {n:03d}", n) for n in range(N_OFFERS)])
        Unit.objects.bulk_create([unit(lodging, "Le gîte") for lodging in duels])

        experiences = Experience.objects.bulk_create([
            Experience(domain=big, title=f"Atelier {n:03d}", slug=f"bench-atelier-{n}", category="workshop",
                       price_per_person=Decimal(30), status="published", capacity=10) for n in range(N_OFFERS)]
            + [Experience(domain=grand_hotel, title="Grand atelier", slug="bench-grand-atelier", category="workshop",
                          price_per_person=Decimal(30), status="published", capacity=10)])
        start = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        Session.objects.bulk_create(
            [Session(experience=e, start=start + timedelta(days=7, hours=9), end=start + timedelta(days=7, hours=11),
                     capacity=10) for e in experiences[:N_OFFERS]]
            + [Session(experience=experiences[-1], start=start + timedelta(hours=8 + 2 * (n % 6), days=n // 6),
                       end=start + timedelta(hours=9 + 2 * (n % 6), days=n // 6), capacity=10)
               for n in range(N_OFFERS)])

        password = make_password(None)
        travellers = User.objects.bulk_create(
            [User(email=f"client{n}@bench.example", password=password, first_name="Client", last_name=f"N{n:04d}")
             for n in range(N_TRAVELLERS)]
            + [User(email=f"racer{n:02d}@bench.example", password=password, first_name="Coureur", last_name=str(n))
               for n in range(N_RACERS)], batch_size=2000)
        bookings = []
        for n in range(N_BOOKINGS):
            room = rooms[n % N_OFFERS]
            turn = n // N_OFFERS  # 10 stays a room, one after the other, from a year ago to next year
            arrival = today + timedelta(days=-365 + 70 * turn + rng.randint(0, 50))
            departure = arrival + timedelta(days=rng.randint(1, 7))
            traveller = travellers[0] if n % 10 == 0 else travellers[n % N_TRAVELLERS]
            status = rng.choice(["confirmed"] * 6 + ["requested", "cancelled", "refused"])
            booking = Booking(
                reference=f"G{n:07d}", kind="stay", traveller=traveller, owner=owner, unit=room, arrival=arrival,
                departure=departure, status=status, total_price=room.nightly_price * (departure - arrival).days,
                amount_paid=Decimal(0), paid_at=now if status == "confirmed" else None,
                respond_by=now + timedelta(days=2) if status == "requested" else None)
            booking.service_end = service_end_of(booking)
            bookings.append(booking)
        created = Booking.objects.bulk_create(bookings, batch_size=2000)
        # created_at is set by auto_now_add: spread it over two years, as a real history is.
        assert len(created) == N_BOOKINGS
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bookings_booking SET created_at = now() - (random() * interval '730 days') "
                           "WHERE owner_id = %s", [owner.pk])
        Payout.objects.bulk_create([
            Payout(owner=owner, month=date(today.year - 2 + (today.month - 1 + m) // 12, (today.month - 1 + m) % 12 + 1, 1),
                   status=PayoutStatus.SENT, amount_cents=100_000 + m, sent_at=now) for m in range(24)])
    with connection.cursor() as cursor:
        # VACUUM too: the steady state autovacuum keeps in production. Freshly loaded tables have
        # no visibility map, so index-only scans (the owner lists' counts) would read the heap.
        cursor.execute("VACUUM ANALYZE")
