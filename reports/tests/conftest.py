"""Reports' fixtures: a stay of `traveller` on `owner`'s gîte that ended, the clock after it,
image uploads, and staff members in and out of the "Signalements et comptes" group."""
from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.staff_groups import MODERATION, REPORTS_AND_ACCOUNTS
from bookings.tests.dashboard_factories import make_booking
from conftest import activate_totp, make_user

AFTER = datetime(2027, 5, 12, 10, 0, tzinfo=UTC)  # Wednesday 12:00 in Paris, the day after departure


@pytest.fixture
def stay(traveller, unit):
    return make_booking(traveller=traveller, unit=unit, arrival="2027-05-09", departure="2027-05-11",
                        reference="AH-STAY31")


def photo(name="salon.jpg", *, size=(1200, 800), gps=False) -> SimpleUploadedFile:
    image, buffer = Image.new("RGB", size, (150, 100, 70)), BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def staff_member(email: str, *groups: str):
    user = make_user(email, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return activate_totp(user)


@pytest.fixture
def reports_staff(db):
    return staff_member("signalements@example.fr", REPORTS_AND_ACCOUNTS)


@pytest.fixture
def moderator(db):
    return staff_member("moderation@example.fr", MODERATION)
