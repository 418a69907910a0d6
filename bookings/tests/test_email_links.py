"""Each booking email's button opens the page it names, for the person it is sent to."""
import re

import pytest
from django.conf import settings
from django.urls import reverse

from bookings import emails
from bookings.models import BookingStatus

from .dashboard_factories import NOW, make_booking, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(owner, traveller):
    return make_booking(traveller=traveller, unit=make_unit(owner), status=BookingStatus.REQUESTED)


def link(mail) -> str:
    """The button's URL, as the text part writes it: "label — URL"."""
    return re.search(r" — (https?://\S+)", mail.body).group(1)


@pytest.mark.parametrize(("send", "page"), [
    (emails.request_received, "dashboard_booking"),
    (emails.owner_reminder, "dashboard_booking"),
    (emails.request_sent, "trip_detail"),
])
def test_request_emails_link_to_the_booking_page_of_their_reader(request_, mailoutbox, send, page):
    send(request_)
    assert link(mailoutbox[-1]) == settings.SITE_URL + reverse(page, args=[request_.reference])


def test_the_accepted_email_links_to_the_payment_page(request_, mailoutbox):
    request_.status, request_.pay_by = BookingStatus.AWAITING_PAYMENT, NOW
    emails.accepted(request_)
    assert link(mailoutbox[-1]) == settings.SITE_URL + reverse("payment_page", args=[request_.reference])
