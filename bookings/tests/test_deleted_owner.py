"""A deleted owner's offers take no booking: deletion takes them offline, and the booking
services refuse them even if one were still published."""
from datetime import date

import pytest

from accounts.services import delete_account
from bookings.services import BookingError, book_session, request_stay
from domains.models import OfferStatus

pytestmark = pytest.mark.django_db


def test_deleting_the_account_takes_the_owners_offers_offline(client, owner, domain, lodging, unit, now):
    assert client.get(f"/fr/hebergements/{lodging.slug}/").status_code == 200
    delete_account(user=owner, now=now)
    domain.refresh_from_db()
    assert domain.status == OfferStatus.DRAFT
    assert client.get(f"/fr/hebergements/{lodging.slug}/").status_code == 404


def test_a_stay_on_a_deleted_owners_still_published_offer_is_refused(traveller, owner, domain, unit, now):
    delete_account(user=owner, now=now)
    domain.status = OfferStatus.PUBLISHED  # as if something republished it
    domain.save()
    with pytest.raises(BookingError):
        request_stay(traveller=traveller, unit=unit, arrival=date(2027, 6, 1), departure=date(2027, 6, 4),
                     adults=2, children=0, now=now)


def test_a_session_of_a_deleted_owner_is_refused(traveller, owner, domain, session, now):
    delete_account(user=owner, now=now)
    domain.status = OfferStatus.PUBLISHED
    domain.save()
    with pytest.raises(BookingError):
        book_session(traveller=traveller, session=session, adults=1, children=0, now=now)
