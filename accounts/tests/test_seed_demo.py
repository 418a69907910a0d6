import pytest
from django.core.management import call_command

from accounts.models import User
from bookings.models import Booking
from domains.models import Domain, OfferStatus
from experiences.models import Session

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (User.objects.count(), Domain.objects.count(), Booking.objects.count(), Session.objects.count())


def test_seed_demo_is_idempotent_sends_no_mail_and_prints_logins(capsys, mailoutbox):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[1] >= 15 and first[2] >= 1
    assert set(Domain.objects.values_list("status", flat=True)) == set(OfferStatus.values)
    assert mailoutbox == []
    output = capsys.readouterr().out
    assert "patrimoine-demo" in output and "helene@demo.almaheritage.fr" in output
