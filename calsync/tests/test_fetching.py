"""SSRF-safe feed download. Only 127.0.0.1 is ever contacted (pytest-httpserver)."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response

from calsync import fetching
from calsync.fetching import FetchError, check_url, fetch_feed
from calsync.parsing import NotACalendar, parse_feed

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to resolve a name or open a connection."""

    def forbidden_open(*args, **kwargs):
        raise AssertionError("the guard should have refused before connecting")

    def forbidden_resolve(hostname, port):
        raise AssertionError(f"unexpected DNS query for {hostname}")

    monkeypatch.setattr(fetching, "_open", forbidden_open)
    monkeypatch.setattr(fetching, "resolve_host", forbidden_resolve)


def fake_dns(table: dict[str, list[str]], calls: list[str] | None = None):
    def resolve(hostname: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(hostname)
        return table[hostname]

    return resolve


# ------------------------------------------------------------------ refused URLs


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/cal.ics",
        "http://127.8.9.10/cal.ics",
        "http://10.0.0.1/cal.ics",
        "http://10.255.1.2/cal.ics",
        "http://172.16.0.1/cal.ics",
        "http://172.31.255.254/cal.ics",
        "http://192.168.1.1/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/cal.ics",
        "http://0.0.0.0/cal.ics",
        "http://224.0.0.1/cal.ics",
        "http://240.0.0.1/cal.ics",
        "http://[::1]/cal.ics",
        "http://[::]/cal.ics",
        "http://[::ffff:127.0.0.1]/cal.ics",
        "http://[::ffff:10.0.0.1]/cal.ics",
        "http://[::ffff:169.254.169.254]/cal.ics",
        "http://[2002:7f00:1::1]/cal.ics",  # 6to4 of 127.0.0.1
        "http://[2002:a9fe:a9fe::1]/cal.ics",  # 6to4 of 169.254.169.254
        "http://[64:ff9b::a00:1]/cal.ics",  # NAT64 of 10.0.0.1
        "http://[fe80::1]/cal.ics",
        "http://[fd00:ec2::254]/cal.ics",
        "http://2130706433/cal.ics",  # decimal 127.0.0.1
        "http://0x7f000001/cal.ics",  # hex
        "http://0177.0.0.1/cal.ics",  # octal
        "http://0x7f.1/cal.ics",
        "http://127.1/cal.ics",
        "file:///etc/passwd",
        "ftp://calendar.example.com/cal.ics",
        "gopher://calendar.example.com/",
        "https://calendar.example.com:8080/cal.ics",
        "http://calendar.example.com:22/cal.ics",
        "http://user:secret@calendar.example.com/cal.ics",
        "http:///cal.ics",
        "http://calendar.example.com:99999/cal.ics",
        "javascript:alert(1)",
    ],
)
def test_guard_refuses_before_connecting(no_network, url):
    with pytest.raises(FetchError):
        fetch_feed(url)


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.10", "169.254.169.254", "127.0.0.1", "::1", "fc00::5"])
def test_public_name_resolving_to_internal_address_is_refused(no_network, address):
    with pytest.raises(FetchError):
        fetch_feed("https://calendar.example.com/cal.ics", resolver=fake_dns({"calendar.example.com": [address]}))


def test_any_internal_address_among_several_is_refused(no_network):
    resolver = fake_dns({"calendar.example.com": ["93.184.215.14", "10.0.0.8"]})
    with pytest.raises(FetchError):
        fetch_feed("https://calendar.example.com/cal.ics", resolver=resolver)


def test_allow_loopback_never_opens_private_ranges(no_network):
    for url in ("http://10.0.0.1/cal.ics", "http://192.168.1.1:8080/cal.ics", "http://169.254.169.254/"):
        with pytest.raises(FetchError):
            fetch_feed(url, allow_loopback=True)
    resolver = fake_dns({"calendar.example.com": ["93.184.215.14"]})
    with pytest.raises(FetchError):  # a non-standard port stays forbidden on public hosts
        fetch_feed("http://calendar.example.com:8080/cal.ics", allow_loopback=True, resolver=resolver)


def test_public_address_passes_the_check(no_network):
    assert fetching._address_problem(ipaddress.ip_address("93.184.215.14"), allow_loopback=False) is None
    assert fetching._address_problem(ipaddress.ip_address("2606:2800:21f:cb07::1"), allow_loopback=False) is None
    check_url("https://calendar.example.com/cal.ics", resolver=fake_dns({"calendar.example.com": ["93.184.215.14"]}))


# ------------------------------------------------------------ against a local server


def local(httpserver: HTTPServer, path: str) -> str:
    # Literal 127.0.0.1 (not "localhost", which could also mean ::1).
    return f"http://127.0.0.1:{httpserver.port}{path}"


def test_fetch_ok_with_validators(httpserver: HTTPServer):
    httpserver.expect_request("/cal.ics").respond_with_data(
        ICS, content_type="text/calendar", headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}
    )
    result = fetch_feed(local(httpserver, "/cal.ics"), allow_loopback=True)
    assert (result.status, result.content, result.not_modified) == (200, ICS, False)
    assert result.etag == '"v1"' and result.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_loopback_needs_the_explicit_flag(httpserver: HTTPServer):
    httpserver.expect_request("/cal.ics").respond_with_data(ICS)
    with pytest.raises(FetchError):
        fetch_feed(local(httpserver, "/cal.ics"))
    assert httpserver.log == []


def test_conditional_get_304(httpserver: HTTPServer):
    httpserver.expect_request(
        "/cal.ics", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT"}
    ).respond_with_data(b"", status=304, headers={"ETag": '"v1"'})
    result = fetch_feed(
        local(httpserver, "/cal.ics"),
        etag='"v1"',
        last_modified="Tue, 01 Dec 2026 10:00:00 GMT",
        allow_loopback=True,
    )
    assert result.not_modified and result.content is None and result.status == 304 and result.etag == '"v1"'


def test_server_error_carries_the_status(httpserver: HTTPServer):
    httpserver.expect_request("/cal.ics").respond_with_data("boom", status=500)
    with pytest.raises(FetchError) as info:
        fetch_feed(local(httpserver, "/cal.ics"), allow_loopback=True)
    assert info.value.status == 500


def test_not_found_carries_the_status(httpserver: HTTPServer):
    httpserver.expect_request("/cal.ics").respond_with_data("gone", status=404)
    with pytest.raises(FetchError) as info:
        fetch_feed(local(httpserver, "/cal.ics"), allow_loopback=True)
    assert info.value.status == 404


def test_slow_server_times_out(httpserver: HTTPServer):
    def slow(request):
        time.sleep(1.5)
        return Response(ICS)

    httpserver.expect_request("/slow.ics").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError):
        fetch_feed(local(httpserver, "/slow.ics"), timeout=(1.0, 0.3), allow_loopback=True)
    assert time.monotonic() - started < 1.4


def test_huge_body_with_length_is_refused(httpserver: HTTPServer):
    httpserver.expect_request("/big.ics").respond_with_data(b"x" * (300 * 1024))
    with pytest.raises(FetchError):
        fetch_feed(local(httpserver, "/big.ics"), max_bytes=100 * 1024, allow_loopback=True)


def test_huge_streamed_body_is_cut(httpserver: HTTPServer):
    sent = []

    def endless(request):
        def chunks():
            for _ in range(1000):  # 64 MB if nobody stops reading
                sent.append(1)
                yield b"y" * (64 * 1024)

        return Response(chunks(), content_type="text/calendar")  # chunked, no length

    httpserver.expect_request("/stream.ics").respond_with_handler(endless)
    with pytest.raises(FetchError):
        fetch_feed(local(httpserver, "/stream.ics"), max_bytes=256 * 1024, allow_loopback=True)


def test_html_is_fine_for_transport_but_not_a_calendar(httpserver: HTTPServer):
    page = b"<!DOCTYPE html><html><body>Please log in</body></html>"
    httpserver.expect_request("/cal.ics").respond_with_data(page, content_type="text/html")
    result = fetch_feed(local(httpserver, "/cal.ics"), allow_loopback=True)
    assert result.content == page
    with pytest.raises(NotACalendar):
        parse_feed(result.content, today=date(2026, 12, 1))


def test_redirect_is_followed(httpserver: HTTPServer):
    httpserver.expect_request("/old.ics").respond_with_data("", status=301, headers={"Location": "/new.ics"})
    httpserver.expect_request("/new.ics").respond_with_data(ICS)
    result = fetch_feed(local(httpserver, "/old.ics"), allow_loopback=True)
    assert result.content == ICS and result.url.endswith("/new.ics")


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.7/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "file:///etc/passwd",
        "https://calendar.example.com:8443/cal.ics",
    ],
)
def test_redirect_to_internal_address_is_refused(httpserver: HTTPServer, monkeypatch, location):
    opened: list[str] = []
    real_open = fetching._open

    def spy(target, address, *args):
        opened.append(str(address))
        return real_open(target, address, *args)

    monkeypatch.setattr(fetching, "_open", spy)
    monkeypatch.setattr(fetching, "resolve_host", fake_dns({"calendar.example.com": ["93.184.215.14"]}))
    httpserver.expect_request("/cal.ics").respond_with_data("", status=302, headers={"Location": location})
    with pytest.raises(FetchError):
        fetch_feed(local(httpserver, "/cal.ics"), allow_loopback=True)
    assert opened == ["127.0.0.1"], "only the first hop was contacted"


def test_too_many_redirects(httpserver: HTTPServer):
    for i in range(5):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    httpserver.expect_request("/r5").respond_with_data(ICS)
    with pytest.raises(FetchError):
        fetch_feed(local(httpserver, "/r0"), allow_loopback=True)


def test_connects_to_the_resolved_address_with_the_original_host(httpserver: HTTPServer):
    # The name is resolved once by us; the library never resolves it again (so a
    # second, rebinding DNS answer cannot be used) and the Host header is preserved.
    calls: list[str] = []
    port = httpserver.port
    httpserver.expect_request("/cal.ics", headers={"Host": f"calendar.test:{port}"}).respond_with_data(ICS)
    result = fetch_feed(
        f"http://calendar.test:{port}/cal.ics",
        allow_loopback=True,
        resolver=fake_dns({"calendar.test": ["127.0.0.1"]}, calls),
    )
    assert result.content == ICS
    assert calls == ["calendar.test"]


# ------------------------------------------------------------------ HTTPS and SNI


def _make_certificates(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A throwaway CA and a certificate for calendar.test (and 127.0.0.1), made with openssl
    (the standard library cannot make certificates, and `cryptography` is not installed)."""

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=calendar.test")
    (directory / "ext.cnf").write_text("subjectAltName=DNS:calendar.test,IP:127.0.0.1\n")
    run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "2", "-extfile", "ext.cnf")  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(directory / "leaf.pem", directory / "leaf.key")
    return directory / "ca.pem", context


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make test certificates")
def test_https_uses_sni_and_verifies_the_host_name(tmp_path: Path):
    ca_file, context = _make_certificates(tmp_path)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        server.expect_request("/cal.ics").respond_with_data(ICS)
        port = server.port
        table = {"calendar.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}
        result = fetch_feed(
            f"https://calendar.test:{port}/cal.ics",
            allow_loopback=True,
            resolver=fake_dns(table),
            ca_certs=str(ca_file),
        )
        assert result.content == ICS
        with pytest.raises(FetchError):  # certificate is for calendar.test only
            fetch_feed(
                f"https://other.test:{port}/cal.ics",
                allow_loopback=True,
                resolver=fake_dns(table),
                ca_certs=str(ca_file),
            )
        with pytest.raises(FetchError):  # unknown CA
            fetch_feed(f"https://calendar.test:{port}/cal.ics", allow_loopback=True, resolver=fake_dns(table))
    finally:
        server.clear()
        if server.is_running():
            server.stop()


# ------------------------------------------------- the total deadline, whatever the server does


@pytest.mark.parametrize("mode", ["headers", "body"])
def test_a_server_trickling_a_byte_a_second_is_cut_at_the_deadline(mode):
    """Each byte comes well within the read timeout, so only a wall-clock deadline over the
    whole download ends it (before: a 2 s deadline returned after 12.6 s, or never)."""
    from calsync.tests.trickle import TrickleServer

    with TrickleServer(mode, every=0.5) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            fetch_feed(server.url(), timeout=(1.0, 1.5), deadline=2.0, allow_loopback=True)
        elapsed = time.monotonic() - started
    assert elapsed < 2.8
    assert "too slow" in str(info.value)


def test_the_deadline_leaves_no_thread_behind():
    import threading

    from calsync.tests.trickle import TrickleServer

    with TrickleServer("body", every=0.5) as server:
        before = {t for t in threading.enumerate() if t.name == "calsync-fetch-deadline"}
        with pytest.raises(FetchError):
            fetch_feed(server.url(), timeout=(1.0, 1.5), deadline=1.0, allow_loopback=True)
        after = {t for t in threading.enumerate() if t.name == "calsync-fetch-deadline"}
    assert after == before


@pytest.mark.parametrize("address", ["fec0::1", "100.64.1.1", "192.0.2.10", "198.18.0.1", "2001:db8::1",
                                     "::ffff:100.64.0.1", "fc00::1"])
def test_every_non_global_range_is_refused(no_network, address):
    """`is_global` decides, not a list: site-local fec0::/10 passed the old list."""
    with pytest.raises(FetchError) as info:
        check_url("https://calendar.example.com/cal.ics", resolver=fake_dns({"calendar.example.com": [address]}))
    assert str(info.value) == fetching.NOT_PUBLIC


def test_owners_cannot_tell_a_missing_name_from_a_private_address(no_network):
    def no_such_name(hostname, port):
        raise socket.gaierror("Name or service not known")

    with pytest.raises(FetchError) as missing:
        check_url("https://nowhere.example.com/cal.ics", resolver=no_such_name)
    with pytest.raises(FetchError) as private:
        check_url("https://intranet.example.com/cal.ics", resolver=fake_dns({"intranet.example.com": ["10.1.2.3"]}))
    assert str(missing.value) == str(private.value)


# ------------------------------------------ the deadline covers DNS resolution and the TLS handshake


@pytest.fixture
def hanging_resolver(monkeypatch):
    """The system resolver never answers (a dead name server): getaddrinfo sleeps until the
    test ends. Returns the number of calls so far."""
    release = threading.Event()
    calls = []

    def getaddrinfo(*args, **kwargs):
        calls.append(args[0])
        release.wait(60)
        raise socket.gaierror("Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield calls
    release.set()
    for thread in threading.enumerate():  # the given-up lookups end, so the next test has every slot
        if thread.name == "calsync-resolve":
            thread.join(5)


def test_a_hanging_resolver_is_given_up_at_the_fetch_deadline(hanging_resolver):
    """getaddrinfo ran before and outside the deadline: a dead name server held the worker
    for as long as the system resolver's own retries (or for ever with a patched one)."""
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_feed("https://calendar.example.com/cal.ics", deadline=1.0)
    elapsed = time.monotonic() - started
    assert hanging_resolver == ["calendar.example.com"]
    assert elapsed < 1.5
    # The words of a name that does not resolve: nothing tells the owner how our resolver failed.
    assert str(info.value) == fetching.NOT_PUBLIC


def test_checking_a_typed_url_waits_at_most_the_resolve_timeout(hanging_resolver):
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        check_url("https://calendar.example.com/cal.ics", resolve_timeout=0.5)
    assert time.monotonic() - started < 1.0
    assert str(info.value) == fetching.NOT_PUBLIC


def test_hanging_lookups_do_not_pile_up_threads(hanging_resolver):
    """Each given-up lookup keeps its thread until getaddrinfo returns; past the cap, the next
    fetch is refused at once instead of starting another."""
    before = sum(t.name == "calsync-resolve" for t in threading.enumerate())
    for index in range(fetching.MAX_PENDING_RESOLUTIONS + 3):
        with pytest.raises(FetchError):
            check_url(f"https://cal{index}.example.com/cal.ics", resolve_timeout=0.05)
    assert len(hanging_resolver) <= fetching.MAX_PENDING_RESOLUTIONS
    assert sum(t.name == "calsync-resolve" for t in threading.enumerate()) - before <= fetching.MAX_PENDING_RESOLUTIONS


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make test certificates")
@pytest.mark.parametrize("mode", ["silent", "trickle"])
def test_a_tls_handshake_that_never_ends_is_cut_at_the_deadline(tmp_path: Path, settings, mode):
    """The server accepts TCP, then never answers the ClientHello, or sends its handshake a
    byte every 0.3 s (each byte well within any read timeout). https to loopback is admitted
    only under CALSYNC_ALLOWED_LOCAL_URL_PREFIXES, as for the demo feed server."""
    from calsync.tests.trickle import BODY, TlsTrickleServer

    ca_file, context = _make_certificates(tmp_path)
    with TlsTrickleServer(context, "trickle", every=0) as fast:  # the same server, quick: a real handshake
        settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"https://127.0.0.1:{fast.port}/"]
        assert fetch_feed(fast.url(), ca_certs=str(ca_file)).content == BODY
    with TlsTrickleServer(context, mode, every=0.3) as server:
        settings.CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = [f"https://127.0.0.1:{server.port}/"]
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            # Timeouts longer than the deadline: only the deadline can end it. (CPython bounds a
            # whole handshake by the socket timeout, urllib3's connect timeout, so in production
            # the 5 s connect timeout or a shorter deadline, whichever comes first, ends it.)
            fetch_feed(server.url(), timeout=(10.0, 10.0), deadline=2.0, ca_certs=str(ca_file))
        elapsed = time.monotonic() - started
    assert 1.9 < elapsed < 2.8
    assert "too slow" in str(info.value)
