"""A person whose data is everywhere: Zephyrine Marcheval, owner of a gîte (paid and paid
out, invoiced, reviewed) who also travels (a stay, a review, a gift voucher, a contact
message). Every string of hers is a MARKER the SQL check looks for after her deletion."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore

from accounts.models import BillingAddress, OwnerProfile
from bookings import services as bookings
from conftest import make_user
from domains.models import Domain, OfferStatus
from invoices.monthly import issue_invoices
from invoices.tests.conftest import at, month_of, paid_stay, pay_month, ready_account
from lodgings.models import Lodging, Unit
from public.models import ContactMessage
from reviews import services as reviews
from reviews.models import RATING_FIELDS
from vouchers.models import VoucherOrder

FIRST, LAST = "Zephyrine", "Marcheval"
EMAIL = "zephyrine.marcheval@example.fr"
PHONE = "+33699887766"
STREET = "12 rue des Tanneurs"
TRIP_MESSAGE = "MARQUEUR-MESSAGE-AU-PROPRIETAIRE"
CONTACT_MESSAGE = "MARQUEUR-MESSAGE-DE-CONTACT"
VOUCHER_MESSAGE = "MARQUEUR-MESSAGE-DU-BON"
PROPOSAL_NOTE = "MARQUEUR-NOTE-A-L-EQUIPE"
FEED_URL = "https://calendrier.example/MARQUEUR-FLUX-PRIVE.ics"
MARKERS = [FIRST, LAST, EMAIL, "zephyrine.marcheval", PHONE, "0699887766", STREET, TRIP_MESSAGE, CONTACT_MESSAGE,
           VOUCHER_MESSAGE, PROPOSAL_NOTE, "MARQUEUR-FLUX-PRIVE"]
RATINGS = dict.fromkeys(RATING_FIELDS, 5)
ARRIVAL = date(2027, 3, 1)  # her guest's stay: 1 → 4 March 2027, paid out on 1 April


@pytest.fixture
def person(db):
    user = make_user(EMAIL, owner=True, first_name=FIRST, last_name=LAST, phone=PHONE)
    OwnerProfile.objects.filter(user=user).update(address_line1=STREET, postal_code="37000", city="Tours",
                                                  description=f"Je suis {FIRST}, je vous accueille.")
    BillingAddress.objects.create(user=user, name=f"{FIRST} {LAST}", line1=STREET, postal_code="37000",
                                  city="Tours")
    return user


@pytest.fixture
def guest(db):
    return make_user("gaspard@example.fr", first_name="Gaspard", last_name="Lemoine")


@pytest.fixture
def her_unit(person, guest):
    # Her own domain (the project's `unit` belongs to `owner`), its street address hers too.

    domain = Domain.objects.create(owner=person, name="Moulin de la Roche", slug="moulin-roche", heritage_kind="moulin",
                                   commune="Tours", postal_code="37000", address_line=STREET,
                                   status=OfferStatus.PUBLISHED)
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Le Gîte du Meunier", slug="gite-meunier",
                                     status=OfferStatus.PUBLISHED, cleaning_fee=Decimal("40.00"), min_nights=2,
                                     max_nights=14, advance_notice_days=1, booking_mode="request",
                                     full_refund_days=14, late_refund_percent=50)
    return Unit.objects.create(lodging=lodging, name="Le Gîte", nightly_price=Decimal("120.00"), adults_capacity=4,
                               children_capacity=2)


@pytest.fixture
def hosted(her_unit, guest, person):
    """Gaspard's stay at her gîte: paid, ended, paid out on 1 April, invoiced, reviewed and answered."""
    booking = paid_stay(unit=her_unit, traveller=guest, arrival=ARRIVAL)
    month = month_of(booking)
    ready_account(person)
    pay_month(person, month)
    issue_invoices(month=month, now=at(month, 7))
    review = reviews.write_review(booking=booking, author=guest, ratings=RATINGS, text="Un moulin magnifique.",
                                  now=at(ARRIVAL + timedelta(days=5)))
    reviews.reply(review=review, by=person, text="Merci Gaspard !", now=at(ARRIVAL + timedelta(days=6)))
    booking.refresh_from_db()
    return booking


@pytest.fixture
def trip(person, unit):
    """Her own stay at Hélène's gîte (the project's `unit`): paid and ended, with her message and review."""
    booking = paid_stay(unit=unit, traveller=person, arrival=ARRIVAL)
    type(booking).objects.filter(pk=booking.pk).update(message=TRIP_MESSAGE)
    reviews.write_review(booking=booking, author=person, ratings=RATINGS, text="Un prieuré superbe.",
                         now=at(ARRIVAL + timedelta(days=5)))
    booking.refresh_from_db()
    return booking


@pytest.fixture
def her_other_data(person, her_unit):
    from django.contrib.admin.models import CHANGE, LogEntry

    from calsync.models import Feed
    from domains.models import LabelProposal

    Feed.objects.create(unit=her_unit, name="Airbnb", url=FEED_URL)
    LabelProposal.objects.create(owner=person, name="Moulins de France", website="https://moulins.example",
                                 reason=PROPOSAL_NOTE)
    LogEntry.objects.log_actions(user_id=make_user("staff@example.fr", is_staff=True).pk, queryset=[person],
                                 action_flag=CHANGE, change_message="Téléphone modifié")
    ContactMessage.objects.create(subject="account_deletion", name=f"{FIRST} {LAST}", email=EMAIL, message=CONTACT_MESSAGE,
                                  user=person, routed_to="equipe@alma.example")
    VoucherOrder.objects.create(reference="BC-ZEPH01", access_token="t" * 40, buyer=person,
                                buyer_name=f"{FIRST} {LAST}", buyer_email=EMAIL, recipient_name="Paul Durand",
                                recipient_email="paul@example.fr", message=VOUCHER_MESSAGE, amount_cents=10000,
                                status="paid")
    login = SessionStore()
    login["_auth_user_id"] = str(person.pk)
    login.create()
    return login.session_key


@pytest.fixture
def deletion_day(hosted):
    return at(month_of(hosted), 12)  # 1 April 2027, noon in Paris: everything ended and paid out


@pytest.fixture
def waiting_request(her_unit, deletion_day):
    """A request Jeanne sent her and she has not answered."""
    jeanne = make_user("jeanne@example.fr", first_name="Jeanne", last_name="Roux", language="en")
    arrival = deletion_day.date() + timedelta(days=20)
    return bookings.request_stay(traveller=jeanne, unit=her_unit, arrival=arrival,
                                 departure=arrival + timedelta(days=3), adults=2, children=0, now=deletion_day)
