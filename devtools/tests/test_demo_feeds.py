"""The demo feed server (devtools/demo_feeds.py): the demo's feeds point at it, and the
real fetcher, parser and sync read what it serves."""
import io
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import urllib3
from django.utils import timezone

from bookings.models import Booking, BookingKind, BookingStatus, ExternalBlock
from calsync import demo, sync
from calsync.fetching import FetchError, fetch_feed
from calsync.models import DoubleBookingAlert, Feed, Platform
from calsync.parsing import parse_feed
from core.dates import today_in_paris
from devtools.demo_feeds import make_server
from domains.models import Domain
from domains.moderation import OfferStatus
from lodgings.models import Lodging, Unit

pytestmark = pytest.mark.django_db(transaction=True)  # the server answers from its own thread


@pytest.fixture
def server():
    server = make_server(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def demo_settings(settings, server):
    """What development settings say, with the server's free port."""
    settings.CALSYNC_DEMO_FEEDS_URL = f"http://127.0.0.1:{server.server_address[1]}/demo-feeds"
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"{settings.CALSYNC_DEMO_FEEDS_URL}/"]
    return settings


@pytest.fixture
def units(owner, traveller):
    domain = Domain.objects.create(owner=owner, name="Moulin de la Roche", slug="moulin-roche",
                                   heritage_kind="moulin", commune="Amboise", status=OfferStatus.PUBLISHED)
    units = []
    for position, name in enumerate(["Chambre bleue", "Chambre rouge"]):
        lodging = Lodging.objects.create(domain=domain, kind="gite", title=name, slug=f"gite-{position}",
                                         status=OfferStatus.PUBLISHED)
        units.append(Unit.objects.create(lodging=lodging, name=name, nightly_price=Decimal("120.00")))
    arrival = today_in_paris(timezone.now()) + timedelta(days=40)  # the demo seeds around today
    Booking.objects.create(reference="AHDEMO1", kind=BookingKind.STAY, traveller=traveller, owner=owner,
                           unit=units[0], arrival=arrival, departure=arrival + timedelta(days=2),
                           status=BookingStatus.CONFIRMED, total_price=Decimal("240.00"))
    return units


def test_demo_feeds_point_at_the_demo_feed_server_not_a_platform(demo_settings, units):
    demo.seed(stdout=io.StringIO())
    feeds = list(Feed.objects.order_by("unit_id"))
    assert [f.url for f in feeds] == [f"{demo_settings.CALSYNC_DEMO_FEEDS_URL}/unit-{u.pk}.ics" for u in units]
    assert [f.platform for f in feeds] == [Platform.AIRBNB, Platform.BOOKING]


def test_the_server_serves_feeds_the_parser_reads_as_seeded(demo_settings, units, server):
    demo.seed(stdout=io.StringIO())
    for feed in Feed.objects.all():
        result = fetch_feed(feed.url)
        parsed = parse_feed(result.content, today=today_in_paris(timezone.now()))
        stored = ExternalBlock.objects.filter(feed_id=feed.pk).order_by("start")
        assert [(b.start, b.end, b.summary) for b in parsed.blocks] == [(b.start, b.end, b.summary) for b in stored]
        assert parsed.blocks, "every demo feed shows a few imported nights"
    booking_feed = Feed.objects.get(platform=Platform.BOOKING)
    assert b"PRODID:-//admin.booking.com" in fetch_feed(booking_feed.url).content


def test_a_sync_finds_the_demo_as_seeded_then_gets_a_304(demo_settings, units, server):
    demo.seed(stdout=io.StringIO())
    feed = Feed.objects.get(unit=units[0])
    before = list(ExternalBlock.objects.filter(feed_id=feed.pk).values_list("start", "end", "summary"))
    now = datetime.now(UTC)

    first = sync.sync_feed(feed=feed, now=now)
    second = sync.sync_feed(feed=feed, now=now + timedelta(minutes=50))

    assert first.ok and first.status == 200 and (first.diff.added, first.diff.removed) == ([], [])
    assert second.ok and second.status == 304
    assert list(ExternalBlock.objects.filter(feed_id=feed.pk).values_list("start", "end", "summary")) == before
    # The demo's double booking is a real overlap, not an echo of our own dates: it survives the sync.
    alert = DoubleBookingAlert.objects.get()
    assert alert.resolved_at is None and alert.feed_id == feed.pk


def test_unknown_feeds_are_404_and_only_loopback_listens(demo_settings, units, server):
    port = server.server_address[1]
    assert server.server_address[0] == "127.0.0.1"
    http = urllib3.PoolManager()
    for path in (f"/demo-feeds/unit-{units[0].pk}.ics", "/demo-feeds/unit-x.ics", "/etc/passwd"):
        assert http.request("GET", f"http://127.0.0.1:{port}{path}").status == 404  # nothing seeded yet


def test_without_the_allow_list_the_fetcher_refuses_the_demo_server(demo_settings, units, server):
    demo.seed(stdout=io.StringIO())
    demo_settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = []
    with pytest.raises(FetchError):
        fetch_feed(Feed.objects.first().url)


def test_reseeding_moves_old_feeds_to_the_demo_server(demo_settings, units):
    old = Feed.objects.create(unit=units[0], url=demo.LEGACY_URL.format(unit=units[0].pk), platform=Platform.AIRBNB)
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    old.refresh_from_db()
    assert old.url == demo.feed_url(units[0].pk)
    assert Feed.objects.count() == 2
