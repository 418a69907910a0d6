"""One log line per business event a person on call looks for: a payout sent, an invoice
issued, a feed synced (the booking transitions are in core/tests/test_logs.py), each with the
fields to find it by and no personal data."""
import io
import json
import logging
from datetime import date

import pytest
from werkzeug import Response

from core import logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    handler.addFilter(logs.MaskingFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda logger: [line for line in map(json.loads, stream.getvalue().splitlines()) if line["logger"] == logger]
    root.removeHandler(handler)
    root.setLevel(previous)


def test_a_sent_payout_and_the_month_s_invoice_each_write_one_line(json_log, owner, traveller, unit):
    from invoices.monthly import issue_invoices
    from invoices.tests.conftest import at, paid_stay, pay_month, ready_account

    november = date(2026, 11, 1)
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 20))
    ready_account(owner)
    payout = pay_month(owner, november)
    [invoice] = issue_invoices(month=november, now=at(november, 7)).invoices

    [sent] = json_log("payouts.monthly")
    assert (sent["payout"], sent["owner_id"], sent["amount_cents"]) == (payout.pk, owner.pk, payout.amount_cents)
    issued = [line for line in json_log("invoices.monthly") if "invoice" in line]
    assert [(line["invoice"], line["owner_id"]) for line in issued] == [(invoice.number, owner.pk)]
    assert owner.email not in json.dumps(json_log("payouts.monthly") + issued)


def test_each_feed_sync_writes_one_line_with_its_outcome(json_log, unit, httpserver, settings):
    from calsync import sync
    from calsync.models import Feed, Platform
    from calsync.tests.conftest import NOW, ics

    settings.CALSYNC_ALLOW_LOOPBACK = True
    feed = Feed.objects.create(unit=unit, platform=Platform.AIRBNB, url=httpserver.url_for("/feed.ics"))
    httpserver.expect_request("/feed.ics").respond_with_handler(
        lambda request: Response(ics(("20261210", "20261214", "a@airbnb.com")), content_type="text/calendar"))
    sync.sync_feed(feed=feed, now=NOW)
    httpserver.clear()
    httpserver.expect_request("/feed.ics").respond_with_data("down", status=500)
    sync.sync_feed(feed=feed, now=NOW, count_failure=True)

    lines = [line for line in json_log("calsync.sync") if line.get("feed") == feed.pk]
    assert [(line["ok"], line["http_status"], line["events_read"]) for line in lines] == [(True, 200, 1),
                                                                                          (False, 500, 0)]
    assert all(isinstance(line["duration_ms"], int) for line in lines)
