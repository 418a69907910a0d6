"""CALSYNC_ALLOWED_LOCAL_URL_PREFIXES: the demo feed server's one loopback exception to the
SSRF guard (calsync/fetching.py). Only 127.0.0.1 is contacted (pytest-httpserver)."""

from __future__ import annotations

import pytest
from django.conf import settings as project_settings
from pytest_httpserver import HTTPServer

from calsync.fetching import FetchError, check_url, fetch_feed

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/demo-feeds/unit-1.ics").respond_with_data(ICS, content_type="text/calendar")
    httpserver.expect_request("/admin/").respond_with_data(b"internal page")
    return httpserver


def base(server: HTTPServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def test_with_the_setting_empty_loopback_stays_refused(server, settings):
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = []
    with pytest.raises(FetchError, match="loopback|standard ports"):
        fetch_feed(f"{base(server)}/demo-feeds/unit-1.ics")
    with pytest.raises(FetchError, match="does not lead to a public server"):
        fetch_feed("http://127.0.0.1/demo-feeds/unit-1.ics")  # standard port: the address itself is refused
    assert not server.log, "nothing reached the local server"


def test_production_default_is_empty():
    # Test settings inherit base.py's value, which production keeps (and refuses to change).
    assert project_settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES == []


def test_a_url_under_an_allowed_prefix_is_fetched(server, settings):
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"{base(server)}/demo-feeds/"]
    assert fetch_feed(f"{base(server)}/demo-feeds/unit-1.ics").content == ICS
    check_url(f"{base(server)}/demo-feeds/unit-1.ics")


@pytest.mark.parametrize("path", ["/admin/", "/demo-feeds-elsewhere/x.ics"])
def test_other_paths_of_the_same_server_stay_refused(server, settings, path):
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"{base(server)}/demo-feeds/"]
    with pytest.raises(FetchError):
        fetch_feed(f"{base(server)}{path}")
    assert not server.log


def test_another_local_port_stays_refused(server, settings):
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"{base(server)}/demo-feeds/"]
    with pytest.raises(FetchError):
        fetch_feed(f"http://127.0.0.1:{server.port + 1}/demo-feeds/unit-1.ics")
    with pytest.raises(FetchError):
        fetch_feed(f"http://localhost:{server.port}/demo-feeds/unit-1.ics")  # another host name


def test_a_redirect_out_of_the_prefix_is_refused(server, settings):
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"{base(server)}/demo-feeds/"]
    server.expect_request("/demo-feeds/moved.ics").respond_with_data(
        b"", status=302, headers={"Location": f"{base(server)}/admin/"})
    with pytest.raises(FetchError):
        fetch_feed(f"{base(server)}/demo-feeds/moved.ics")
    assert [entry[0].path for entry in server.log] == ["/demo-feeds/moved.ics"]


def test_a_prefix_never_opens_a_private_address(settings):
    settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = ["http://10.0.0.5:8421/", "http://192.168.1.2/"]
    for url in ("http://10.0.0.5:8421/feed.ics", "http://192.168.1.2/feed.ics"):
        with pytest.raises(FetchError, match="does not lead to a public server"):
            fetch_feed(url, timeout=(0.2, 0.2))
