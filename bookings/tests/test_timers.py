"""Deadlines swept by expire_bookings: exact to the second, across daylight-saving changes,
idempotent, one email each."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from bookings import services
from bookings.models import BookingStatus
from bookings.tasks import expire_bookings

pytestmark = pytest.mark.django_db
D = date.fromisoformat
PARIS = ZoneInfo("Europe/Paris")


def stay(traveller, unit, now, arrival="2027-11-12", departure="2027-11-15"):
    return services.request_stay(traveller=traveller, unit=unit, arrival=D(arrival), departure=D(departure),
                                 adults=2, children=0, now=now)


def test_request_expires_exactly_72_hours_later_across_the_october_clock_change(traveller, unit, mailoutbox,
                                                                                 django_capture_on_commit_callbacks):
    asked = datetime(2027, 10, 29, 12, 0, tzinfo=PARIS)  # Paris clocks go back on 31 October
    booking = stay(traveller, unit, asked)
    assert booking.respond_by == datetime(2027, 11, 1, 10, 0, tzinfo=UTC)  # 72 h: 11:00 in Paris, not 12:00
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue(now=booking.respond_by - timedelta(seconds=1)) == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    mailoutbox.clear()  # the owner's reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue(now=booking.respond_by) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    [mail] = mailoutbox
    assert mail.to == [traveller.email] and "expiré" in mail.subject


@pytest.mark.parametrize(("asked", "respond_by"), [
    (datetime(2027, 3, 26, 12, 0, tzinfo=PARIS), datetime(2027, 3, 29, 11, 0, tzinfo=UTC)),  # clocks go forward
    (datetime(2027, 10, 29, 12, 0, tzinfo=PARIS), datetime(2027, 11, 1, 10, 0, tzinfo=UTC)),  # clocks go back
])
def test_deadlines_are_exact_hours_whatever_the_clock_change(traveller, owner, unit, asked, respond_by):
    booking = stay(traveller, unit, asked, "2027-12-01", "2027-12-04")
    assert booking.respond_by == respond_by and booking.respond_by - asked == timedelta(hours=72)
    services.accept(booking=booking, by=owner, now=asked)
    assert booking.pay_by - asked == timedelta(hours=48)
    asked_utc = asked.astimezone(UTC)  # exact hours: Paris wall-clock arithmetic would be off by one
    with pytest.raises(services.BookingError):
        services.assert_payable(booking=booking, now=asked_utc + timedelta(hours=48))
    services.assert_payable(booking=booking, now=asked_utc + timedelta(hours=47, minutes=59))


def test_the_sweep_is_idempotent(traveller, unit, now, mailoutbox, django_capture_on_commit_callbacks):
    booking = stay(traveller, unit, now)
    mailoutbox.clear()
    later = now + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue(now=later) == 1
        assert services.expire_overdue(now=later) == 0
        assert services.expire_overdue(now=later + timedelta(hours=1)) == 0
    assert len(mailoutbox) == 1
    assert booking.events.filter(to_status=BookingStatus.EXPIRED).count() == 1


def test_unpaid_acceptance_expires_after_48_hours_and_tells_both(traveller, owner, unit, now, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    booking = stay(traveller, unit, now)
    services.accept(booking=booking, by=owner, now=now)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue(now=now + timedelta(hours=47, minutes=59)) == 0
        assert services.expire_overdue(now=now + timedelta(hours=48)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert sorted(mail.to[0] for mail in mailoutbox) == [owner.email, traveller.email]


def test_checkout_hold_is_released_after_30_minutes_silently(traveller, instant_unit, now, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    booking = stay(traveller, instant_unit, now)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue(now=now + timedelta(minutes=29)) == 0
        assert services.expire_overdue(now=now + timedelta(minutes=30)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED and mailoutbox == []
    assert services.confirm_payment(booking=booking, amount_paid=Decimal("400"), now=now + timedelta(minutes=31)) \
        is False


def test_owner_is_reminded_once_24_hours_before_the_deadline(traveller, owner, unit, now, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    booking = stay(traveller, unit, now)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.expire_overdue(now=now + timedelta(hours=47))
        assert mailoutbox == []
        services.expire_overdue(now=now + timedelta(hours=48))
        services.expire_overdue(now=now + timedelta(hours=49))
    [mail] = mailoutbox
    assert mail.to == [owner.email] and "Rappel" in mail.subject
    booking.refresh_from_db()
    assert booking.reminder_sent_at == now + timedelta(hours=48)


def test_the_management_command_and_the_task_sweep_at_the_current_time(traveller, unit, now):
    first, second = stay(traveller, unit, now), stay(traveller, unit, now, "2027-12-01", "2027-12-04")
    with time_machine.travel(now + timedelta(days=3, seconds=1), tick=False):
        call_command("expire_bookings", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first.refresh_from_db()
    assert first.status == BookingStatus.EXPIRED
    second.status = BookingStatus.REQUESTED
    second.save()
    second.respond_by = now
    second.save()
    with time_machine.travel(now + timedelta(seconds=1), tick=False):
        assert expire_bookings.delay().get() == 1
    second.refresh_from_db()
    assert second.status == BookingStatus.EXPIRED


def test_beat_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["expire-bookings"]
    assert entry["task"] == "bookings.tasks.expire_bookings" and entry["schedule"] == 60.0
