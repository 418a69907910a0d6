import pytest
from django.core.management import call_command

from reports.models import ReportStatus, TravellerReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_new_report_with_a_photo_in_the_staff_queue(mailoutbox):
    call_command("seed_demo")
    report = TravellerReport.objects.get()
    assert report.status == ReportStatus.NEW and report.owner == report.booking.owner
    assert report.booking.service_end < report.created_at and report.photos.count() == 1
    call_command("seed_demo")
    assert TravellerReport.objects.count() == 1
