"""Under real concurrency (PostgreSQL): ten reports of one booking sent at once keep one
(the open-report constraint), and ten staff members closing one report at once decide once
(one decision email)."""
import pytest
from django.db import connection

from devtools.testing import at_once
from reports import services
from reports.models import ReportEvent, ReportStatus, TravellerReport

from .conftest import AFTER

THREADS = 10
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def race(work) -> list:
    return at_once(work, THREADS)


def test_ten_reports_of_one_booking_at_once_keep_one(stay, owner):
    outcomes = race(lambda n: services.file_report(booking=stay, by=owner, category="behaviour",
                                                   description=f"Signalement {n}", photos=[], now=AFTER))
    assert sum(isinstance(o, TravellerReport) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, TravellerReport | services.ReportError) for o in outcomes), outcomes
    assert TravellerReport.objects.count() == 1 and ReportEvent.objects.count() == 1


def test_ten_decisions_at_once_close_once(stay, owner, reports_staff, mailoutbox):
    report = services.file_report(booking=stay, by=owner, category="damage", description="Vitre cassée.",
                                  photos=[], now=AFTER)
    mailoutbox.clear()
    copies = [TravellerReport.objects.get(pk=report.pk) for _n in range(THREADS)]
    outcomes = race(lambda n: services.close_report(report=copies[n], by=reports_staff, decision="upheld",
                                                    text=f"Décision {n}", now=AFTER))
    assert sum(o is None for o in outcomes) == 1, outcomes
    assert TravellerReport.objects.get().status == ReportStatus.CLOSED
    assert ReportEvent.objects.filter(to_status=ReportStatus.CLOSED).count() == 1
    assert [m.to for m in mailoutbox] == [[owner.email]]
