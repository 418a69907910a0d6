import io

import pytest

from bookings import demo
from bookings.models import Booking
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_demo_bookings_use_the_services_and_are_created_once(unit, session, django_capture_on_commit_callbacks):
    make_user("lucie@demo.almaheritage.fr")
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=io.StringIO())
        demo.seed(stdout=io.StringIO())
    assert sorted(Booking.objects.values_list("kind", "status")) == [("experience", "confirmed"),
                                                                     ("stay", "requested")]
