import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from bookings.models import Booking, BookingStatus
from calsync.models import DoubleBookingAlert, Feed
from domains.models import Domain, OfferStatus, Revision, RevisionStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (User.objects.count(), Domain.objects.count(), Lodging.objects.count(), Experience.objects.count(),
            Booking.objects.count(), Session.objects.count(), Feed.objects.count())


def test_seed_demo_is_idempotent_sends_no_mail_and_prints_logins(capsys, mailoutbox):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert mailoutbox == []
    output = capsys.readouterr().out
    assert "patrimoine-demo" in output and "helene@demo.almaheritage.fr" in output


def test_demo_shows_every_state_an_owner_meets():
    call_command("seed_demo")
    assert Domain.objects.count() == 15
    for model in (Domain, Lodging):
        assert set(model.objects.values_list("status", flat=True)) == set(OfferStatus.values), model
    assert Revision.objects.filter(status=RevisionStatus.PENDING, submitted_at__isnull=False).count() == 1
    assert Session.objects.filter(experience__status=OfferStatus.PUBLISHED).exists()
    assert {BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED,
            BookingStatus.CANCELLED} <= set(Booking.objects.values_list("status", flat=True))
    assert Feed.objects.count() == 4 and DoubleBookingAlert.objects.count() == 1


def test_demo_logins_work_with_the_printed_password():
    call_command("seed_demo")
    for email in ["helene@demo.almaheritage.fr", "lucie@demo.almaheritage.fr", "equipe@demo.almaheritage.fr"]:
        assert authenticate(username=email, password="patrimoine-demo") is not None, email
