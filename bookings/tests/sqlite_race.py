"""Run by test_sqlite_concurrency.py in its own process: a file SQLite database (threads
cannot share pytest's in-memory one), 30 threads released at once on one unit and on one
session. Prints the outcome as JSON."""
import json
import os
import sys
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "almaheritage.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from accounts.models import User  # noqa: E402
from bookings import services  # noqa: E402
from domains.models import Domain  # noqa: E402
from experiences.models import Experience, Session  # noqa: E402
from lodgings.models import Lodging, Unit  # noqa: E402

THREADS = 30
NOW = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


def race(work, travellers):
    barrier = threading.Barrier(len(travellers))
    outcomes = []

    def run(traveller):
        try:
            barrier.wait()
            work(traveller)
            outcomes.append("booked")
        except services.BookingError as error:
            outcomes.append(type(error).__name__)
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in travellers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def main() -> None:
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user(email="owner@example.fr")
    domain = Domain.objects.create(owner=owner, name="Moulin", slug="moulin", heritage_kind="moulin", status="published")
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Moulin", slug="moulin", status="published")
    unit = Unit.objects.create(lodging=lodging, name="Moulin", nightly_price=Decimal("100"))
    experience = Experience.objects.create(domain=domain, title="Meunerie", slug="meunerie", category="visit",
                                           price_per_person=Decimal("10"), booking_mode="instant", status="published")
    session = Session.objects.create(experience=experience, start=datetime(2027, 6, 12, 13, tzinfo=UTC),
                                     end=datetime(2027, 6, 12, 15, tzinfo=UTC), capacity=10)
    travellers = [User.objects.create_user(email=f"t{i}@example.fr") for i in range(THREADS)]
    connections.close_all()
    stays = race(lambda t: services.request_stay(traveller=t, unit=unit, arrival=date(2027, 6, 7),
                                                 departure=date(2027, 6, 10), adults=1, children=0, now=NOW),
                 travellers)
    places = race(lambda t: services.book_session(traveller=t, session=session, adults=1, children=0, now=NOW),
                  travellers)
    session.refresh_from_db()
    print(json.dumps({"stays": stays, "places": places, "places_taken": session.places_taken,
                      "live_stays": unit.bookings.filter(status="requested").count()}))


main()
