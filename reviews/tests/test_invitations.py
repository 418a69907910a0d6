"""Invitations the day after the end (from 09:00 in Paris), once; one reminder 7 days later
if still no review; nothing for a cancelled booking or after 60 days. The clock is time-machine's."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from bookings.models import BookingStatus
from bookings.tests.dashboard_factories import make_booking
from reviews import services
from reviews.models import ReviewInvitation
from reviews.tasks import send_review_invitations

from .conftest import RATINGS

pytestmark = pytest.mark.django_db
# Departure Tuesday 11 May 2027: the invitation goes on Wednesday 12 from 09:00 Paris (07:00 UTC).
DUE = datetime(2027, 5, 12, 7, 0, tzinfo=UTC)


def invitations_to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to and "avis" in m.body.lower()]


def run(when, capsys=None):
    with time_machine.travel(when, tick=False):
        call_command("send_review_invitations")


def test_the_invitation_goes_the_day_after_from_nine_and_only_once(stay, mailoutbox, capsys,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(datetime(2027, 5, 11, 12, 0, tzinfo=UTC))  # departure day: too early
        run(DUE - timedelta(minutes=1))  # the day after, 08:59 in Paris: still too early
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE)
        run(DUE + timedelta(hours=1))
        with time_machine.travel(DUE + timedelta(hours=2), tick=False):
            send_review_invitations()  # the beat task calls the same function
    mails = invitations_to(mailoutbox, stay.traveller.email)
    assert len(mails) == 1
    assert "Comment s'est passé votre séjour" in mails[0].subject
    assert f"/fr/mes-voyages/{stay.reference}/avis/" in mails[0].body
    assert "1 invitation(s), 0 reminder(s) sent" in capsys.readouterr().out
    assert ReviewInvitation.objects.get(booking=stay).invited_at == DUE


def test_the_invitation_is_in_the_travellers_language(stay, mailoutbox, django_capture_on_commit_callbacks):
    stay.traveller.language = "en"
    stay.traveller.save()
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE)
    assert "How was your stay?" in mailoutbox[0].subject
    assert "Leave my review" in mailoutbox[0].body


def test_one_reminder_after_seven_days_without_review(stay, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE)
        run(DUE + timedelta(days=7) - timedelta(minutes=1))
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE + timedelta(days=7))
        run(DUE + timedelta(days=8))
        run(DUE + timedelta(days=30))
    assert len(mailoutbox) == 2
    assert "dernier rappel" in mailoutbox[1].body
    assert ReviewInvitation.objects.get(booking=stay).reminded_at == DUE + timedelta(days=7)


def test_no_reminder_once_reviewed(stay, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE)
        services.write_review(booking=stay, author=stay.traveller, ratings=RATINGS, text="Parfait",
                              now=DUE + timedelta(days=1))
        run(DUE + timedelta(days=8))
    assert [m.to for m in mailoutbox] == [[stay.traveller.email], [stay.owner.email]]  # invitation, owner's new review


def test_no_invitation_for_a_cancelled_booking_nor_after_sixty_days(traveller, unit, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-09", departure="2027-05-11",
                 status=BookingStatus.CANCELLED)
    make_booking(traveller=traveller, unit=unit, arrival="2027-01-09", departure="2027-01-11")  # long over
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE)
    assert not mailoutbox and not ReviewInvitation.objects.exists()


def test_the_invitation_job_is_hourly_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-review-invitations"]
    assert entry["task"] == "reviews.tasks.send_review_invitations" and entry["schedule"] == 3600.0


def test_an_experience_is_invited_the_morning_after_its_session(traveller, owner, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    from bookings.tests.dashboard_factories import make_session

    # Saturday 12 June 2027, 15:00–17:00 in Paris: invited on Sunday 13 from 09:00 Paris.
    session = make_session(owner, start=datetime(2027, 6, 12, 13, 0, tzinfo=UTC))
    make_booking(traveller=traveller, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        run(datetime(2027, 6, 12, 21, 59, tzinfo=UTC))  # 23:59 the same day
        run(datetime(2027, 6, 13, 6, 59, tzinfo=UTC))  # 08:59 the morning after
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        run(datetime(2027, 6, 13, 7, 0, tzinfo=UTC))
    assert [m.subject for m in mailoutbox] == ["[Alma Heritage] Comment s'est passée votre expérience ?"]


def test_a_traveller_who_turned_review_emails_off_gets_neither_invitation_nor_reminder(
        stay, client, mailoutbox, django_capture_on_commit_callbacks):
    traveller = stay.traveller
    client.force_login(traveller)
    response = client.post("/fr/mon-compte/", {"first_name": "Lucie", "last_name": "Bernard", "phone": "",
                                            "language": "fr", "news_emails": ""})  # review_emails unticked
    traveller.refresh_from_db()
    assert response.status_code in (200, 302) and traveller.review_emails is False and traveller.news_emails is False
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE)
        run(DUE + timedelta(days=8))
    assert not invitations_to(mailoutbox, traveller.email)
