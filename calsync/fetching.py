"""Download an import feed without letting its URL reach our own network (SSRF).

Feed URLs are typed by hosts, so they are untrusted. The guard works in this order:

* only ``http``/``https``, no credentials in the URL, ports 80/443 only;
* IPv4 literals in odd notations (``2130706433``, ``0x7f.1``, ``0177.0.0.1``) are
  refused outright;
* the host name is resolved **once** and every address must be public (IPv4-mapped,
  6to4, NAT64 and Teredo IPv6 forms are unwrapped and checked too); the resolution runs
  in a daemon thread that we stop waiting for at the deadline (``getaddrinfo`` cannot be
  interrupted), so a hanging resolver never holds the caller past it;
* the connection goes to that exact address (so a DNS answer cannot change between
  the check and the connection: no DNS rebinding), while the Host header, TLS SNI and
  certificate check use the original host name;
* redirects are followed by hand, each one checked again, at most 3;
* connect/read timeouts, a size cap on the streamed body, and an overall **wall-clock
  deadline** over connect, TLS, headers and body, whatever the server does: a watchdog
  shuts the socket down when it passes (a server trickling one byte a second restarts
  every read timeout, so read timeouts alone never end such a download).

Loopback is refused too, except for URLs under ``CALSYNC_ALLOWED_LOCAL_URL_PREFIXES``
(empty by default; development settings name the demo feed server there, production
settings refuse any value). A prefix only ever opens loopback: a private address
stays refused whatever the setting says.

urllib3 is used directly (not ``requests``) because it lets us pin the IP per
connection and never reads proxy settings from the environment, which would bypass
the pinning.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

try:
    import certifi

    _CA_BUNDLE: str | None = certifi.where()
except ImportError:  # pragma: no cover - certifi comes with requests
    _CA_BUNDLE = None

DEFAULT_TIMEOUT = (5.0, 20.0)  # (connect, read) seconds
DEFAULT_DEADLINE = 60.0  # whole download, including redirects
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
RESOLVE_TIMEOUT = 5.0  # check_url's wait for a name (a fetch waits at most its deadline's time left)
MAX_PENDING_RESOLUTIONS = 8  # lookups still running after we gave up on them: then refuse at once
MAX_URL_LENGTH = 2048
ALLOWED_PORTS = frozenset({80, 443})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "AlmaHeritage-CalendarSync/1.0 (+https://almaheritage.fr)"
CHUNK_SIZE = 16 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
NOT_PUBLIC = "The calendar address does not lead to a public server."


class FetchError(Exception):
    """The feed could not be downloaded; ``str(error)`` is shown to the host."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class FetchResult:
    status: int
    content: bytes | None  # None when not modified
    etag: str | None
    last_modified: str | None
    not_modified: bool
    url: str = ""  # final URL after redirects


@dataclass(frozen=True)
class _Target:
    scheme: str
    hostname: str  # IDNA-encoded, lower case, no brackets
    port: int
    host_header: str
    path: str  # path + query, never empty


def resolve_host(hostname: str, port: int) -> list[str]:
    """All addresses of a host name (tests replace this function)."""
    infos = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


# Lookups running in their threads, given up on or not. getaddrinfo cannot be cancelled, so a
# resolver that hangs keeps its thread until it answers; this cap stops a hanging resolver
# (or an owner's name server that never answers) from piling up threads: past it, refuse.
_resolutions = threading.BoundedSemaphore(MAX_PENDING_RESOLUTIONS)


def _resolve_within(resolver: Resolver, hostname: str, port: int, seconds: float) -> list[str]:
    """The resolver's answer if it comes within ``seconds``; else FetchError(NOT_PUBLIC), the
    words of a name that does not resolve, and the late answer is dropped with its thread."""
    if seconds <= 0 or not _resolutions.acquire(blocking=False):
        raise FetchError(NOT_PUBLIC)
    answer: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            answer["addresses"] = list(resolver(hostname, port))
        except BaseException as error:  # noqa: BLE001 — handed to the waiting thread below
            answer["error"] = error
        finally:
            _resolutions.release()
            done.set()

    threading.Thread(target=run, daemon=True, name="calsync-resolve").start()
    if not done.wait(seconds):
        raise FetchError(NOT_PUBLIC)
    if "error" in answer:
        raise answer["error"]  # type: ignore[misc]
    return answer["addresses"]  # type: ignore[return-value]


class _Deadline:
    """The wall-clock end of one fetch. Every socket the fetch opens is registered (as a
    duplicate descriptor, so it stays valid through the TLS wrap and urllib3's close);
    when the deadline passes, a timer shuts them all down, which wakes the reading thread
    at once (connect, TLS handshake, headers or body alike) with an end of stream."""

    def __init__(self, seconds: float):
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._timer.name = "calsync-fetch-deadline"
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.ends_at - time.monotonic())

    @property
    def reached(self) -> bool:
        """Expired, or as good as: a socket timeout set to the time left (the connect, and
        with it CPython's whole TLS handshake) fires a hair before the timer does, and that
        timeout is the deadline's too."""
        return self.expired or self.remaining() < 0.25

    def watch(self, sock: socket.socket) -> None:
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            if self.expired:
                _shut(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def close(self) -> None:
        """Stop the timer (its thread ends before this returns) and drop the duplicates."""
        self._timer.cancel()
        if self._timer is not threading.current_thread():
            self._timer.join()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the other side
        pass


def _guarded(connection_class: type, deadline: _Deadline) -> type:
    """urllib3's connection class whose sockets the deadline can cut."""

    class Guarded(connection_class):  # type: ignore[misc, valid-type]
        def _new_conn(self) -> socket.socket:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise ConnectTimeoutError(self, "deadline passed")
            # The connect itself has no socket to cut yet: bound it by the time left.
            current = self.timeout if isinstance(self.timeout, int | float) else remaining
            self.timeout = min(current, remaining)
            sock = super()._new_conn()
            deadline.watch(sock)
            return sock

    return Guarded


# --------------------------------------------------------------------------- checks


def _parse_url(url: str) -> _Target:
    if len(url) > MAX_URL_LENGTH:
        raise FetchError("The calendar address is too long.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError("The calendar address is not a valid URL.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// calendar addresses are accepted.")
    if parts.username is not None or parts.password is not None:
        raise FetchError("Calendar addresses with a user name or password are not accepted.")
    hostname = (parts.hostname or "").rstrip(".")
    if not hostname:
        raise FetchError("The calendar address has no host name.")
    try:
        hostname = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise FetchError("The calendar address has an invalid host name.") from exc
    default_port = 443 if scheme == "https" else 80
    port = port or default_port
    shown = f"[{hostname}]" if ":" in hostname else hostname
    host_header = shown if port == default_port else f"{shown}:{port}"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(scheme, hostname, port, host_header, path)


def _legacy_ipv4(hostname: str) -> bool:
    """True for IPv4 spellings other than dotted decimal (inet_aton accepts them)."""
    try:
        packed = socket.inet_aton(hostname)
    except (OSError, ValueError):
        return False
    return socket.inet_ntoa(packed) != hostname


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried by IPv4-mapped, 6to4 or NAT64 IPv6 forms."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _address_problem(address: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why this address may not be contacted, or None if it is public.

    "Public" is the standard library's ``is_global`` (the IANA special-purpose registries):
    whatever is not global is refused, so a range nobody thought of listing (``fec0::/10``
    site-local, 100.64.0.0/10 shared NAT, documentation and benchmark ranges…) is refused
    too. IPv4 carried inside IPv6 is unwrapped first and must be global itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo is not None or address in _NAT64_LOCAL:
            return "a tunnelled IPv6 address"
        inner = _embedded_ipv4(address)
        if inner is not None:
            return _address_problem(inner, allow_loopback=allow_loopback)
        if address.scope_id:
            return "a link-local address"
        if address.is_site_local:  # fec0::/10: Python 3.11's is_global still calls it global
            return "a site-local address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address.is_multicast or not address.is_global:
        return "a non-public address"
    return None


def _vetted_addresses(target: _Target, *, allow_loopback: bool, resolver: Resolver,
                      resolve_timeout: float = RESOLVE_TIMEOUT) -> list[IPAddress]:
    """Resolve once (within ``resolve_timeout``) and require every address to be public;
    return them in order."""
    if _legacy_ipv4(target.hostname):
        raise FetchError("The calendar address uses an unusual IP notation and was refused.")
    try:
        literal: IPAddress | None = ipaddress.ip_address(target.hostname)
    except ValueError:
        literal = None
    if literal is not None:
        raw = [str(literal)]
    else:
        try:
            raw = _resolve_within(resolver, target.hostname, target.port, resolve_timeout)
        except (OSError, UnicodeError) as exc:
            raise FetchError(NOT_PUBLIC) from exc
    addresses: list[IPAddress] = []
    for text in raw:
        try:
            address = ipaddress.ip_address(text)
        except ValueError as exc:
            raise FetchError(NOT_PUBLIC) from exc
        if _address_problem(address, allow_loopback=allow_loopback):
            # The same words as an unknown name: an owner probing our network must not
            # learn which internal names exist (docs/calendar-sync.md#fetch-safety).
            raise FetchError(NOT_PUBLIC)
        addresses.append(address)
    if not addresses:
        raise FetchError(NOT_PUBLIC)
    if target.port not in ALLOWED_PORTS and not (allow_loopback and all(a.is_loopback for a in addresses)):
        raise FetchError("Only the standard ports (80 and 443) are accepted for calendar addresses.")
    return addresses


def _allowed_local(target: _Target, prefixes: Sequence[str] | None) -> bool:
    """True when the URL is under one of the allowed local prefixes (same scheme, host
    and port, path starting with the prefix's)."""
    if prefixes is None:
        prefixes = getattr(settings, "CALSYNC_ALLOWED_LOCAL_URL_PREFIXES", ())
    for prefix in prefixes:
        allowed = _parse_url(prefix)
        if ((target.scheme, target.hostname, target.port) == (allowed.scheme, allowed.hostname, allowed.port)
                and target.path.startswith(allowed.path)):
            return True
    return False


def check_url(url: str, *, allow_loopback: bool = False, resolver: Resolver | None = None,
              allowed_local_prefixes: Sequence[str] | None = None,
              resolve_timeout: float = RESOLVE_TIMEOUT) -> None:
    """Validate a feed URL (e.g. in a form) without downloading it; raises FetchError. The
    resolution waits at most ``resolve_timeout`` seconds (the owner's request is waiting)."""
    target = _parse_url(url)
    allow_loopback = allow_loopback or _allowed_local(target, allowed_local_prefixes)
    if target.port not in ALLOWED_PORTS and not allow_loopback:
        raise FetchError("Only the standard ports (80 and 443) are accepted for calendar addresses.")
    _vetted_addresses(target, allow_loopback=allow_loopback, resolver=resolver or resolve_host,
                      resolve_timeout=resolve_timeout)


# ------------------------------------------------------------------------- download


def _open(
    target: _Target,
    address: IPAddress,
    headers: dict[str, str],
    timeout: urllib3.Timeout,
    ca_certs: str | None,
    deadline: _Deadline,
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """Send the GET to ``address`` itself, speaking to it as ``target.hostname``."""
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            str(address),
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs or _CA_BUNDLE,
            server_hostname=target.hostname,  # SNI
            assert_hostname=target.hostname,  # certificate must match the name
        )
    else:
        pool = urllib3.HTTPConnectionPool(str(address), target.port, timeout=timeout, retries=False, maxsize=1)
    pool.ConnectionCls = _guarded(pool.ConnectionCls, deadline)
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except BaseException:
        pool.close()
        raise
    return pool, response


def _too_large(max_bytes: int) -> FetchError:
    size = f"{max_bytes / (1024 * 1024):g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
    return FetchError(f"The calendar is too large (over {size}).")


def _read_capped(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: _Deadline) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    # Decoded (gunzipped) bytes are counted, so a compression bomb hits the cap too.
    for chunk in response.stream(CHUNK_SIZE, decode_content=True):
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
        if deadline.expired:
            raise _too_slow()
    return bytes(body)


def _too_slow() -> FetchError:
    return FetchError("The calendar server is too slow.")


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    allow_loopback: bool = False,
    deadline: float = DEFAULT_DEADLINE,
    resolver: Resolver | None = None,
    ca_certs: str | None = None,
    allowed_local_prefixes: Sequence[str] | None = None,
) -> FetchResult:
    """GET a feed safely. Raises FetchError (with ``status`` for HTTP errors).

    ``etag``/``last_modified`` from the previous fetch make it a conditional GET: a
    304 answer gives ``not_modified=True`` and no content. ``allow_loopback`` (tests,
    local development) only admits 127.0.0.0/8 and ::1 on any port; private ranges
    stay forbidden. ``allowed_local_prefixes`` (default: the setting
    ``CALSYNC_ALLOWED_LOCAL_URL_PREFIXES``) admits loopback for the URLs under them only,
    checked again at every redirect. ``resolver`` and ``ca_certs`` exist for tests.
    """
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/calendar, text/plain;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    watchdog = _Deadline(deadline)
    try:
        return _fetch(url, headers, timeout, max_bytes, allow_loopback, watchdog, resolver, ca_certs, etag,
                      last_modified, allowed_local_prefixes)
    except FetchError as error:
        # A resolution given up on at the deadline keeps the words of a name that does not
        # resolve (an owner learns nothing from how our resolver behaves).
        timed_out = isinstance(error.__cause__, TimeoutError | ReadTimeoutError | ConnectTimeoutError)
        if error.message != NOT_PUBLIC and (watchdog.expired or (watchdog.reached and timed_out)):
            raise _too_slow() from None
        raise
    finally:
        watchdog.close()


def _fetch(url: str, headers: dict[str, str], timeout: tuple[float, float], max_bytes: int, allow_loopback: bool,
           deadline: _Deadline, resolver: Resolver | None, ca_certs: str | None, etag: str | None,
           last_modified: str | None, allowed_local_prefixes: Sequence[str] | None) -> FetchResult:
    urllib3_timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = _parse_url(current)
        loopback = allow_loopback or _allowed_local(target, allowed_local_prefixes)
        if target.port not in ALLOWED_PORTS and not loopback:
            # Refuse before any DNS query.
            raise FetchError("Only the standard ports (80 and 443) are accepted for calendar addresses.")
        addresses = _vetted_addresses(target, allow_loopback=loopback, resolver=resolver or resolve_host,
                                      resolve_timeout=deadline.remaining())
        if deadline.expired:
            raise _too_slow()
        pool, response = _connect(target, addresses, headers, urllib3_timeout, ca_certs, deadline)
        try:
            status = response.status
            if status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"The calendar server answered a redirect (HTTP {status}) without a target.")
                current = urljoin(current, location.strip())
                continue
            if status == 304:
                return FetchResult(
                    status=304,
                    content=None,
                    etag=response.headers.get("ETag") or etag,
                    last_modified=response.headers.get("Last-Modified") or last_modified,
                    not_modified=True,
                    url=current,
                )
            if not 200 <= status < 300:
                raise FetchError(f"The calendar server answered with an error (HTTP {status}).", status=status)
            content = _read_capped(response, max_bytes, deadline)
            return FetchResult(
                status=status,
                content=content,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                not_modified=False,
                url=current,
            )
        except ReadTimeoutError as exc:
            raise FetchError("The calendar server took too long to answer.") from exc
        except (HTTPError, OSError) as exc:
            raise FetchError("The download of the calendar was interrupted.") from exc
        finally:
            response.release_conn()
            response.close()
            pool.close()
    raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}).")


def _connect(
    target: _Target,
    addresses: list[IPAddress],
    headers: dict[str, str],
    timeout: urllib3.Timeout,
    ca_certs: str | None,
    deadline: _Deadline,
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """Try the vetted addresses in order (e.g. IPv6 then IPv4) until one answers."""
    last_error: Exception | None = None
    for address in addresses[:4]:
        try:
            return _open(target, address, headers, timeout, ca_certs, deadline)
        except (ConnectTimeoutError, NewConnectionError) as exc:
            last_error = exc
            continue
        except ReadTimeoutError as exc:
            raise FetchError("The calendar server took too long to answer.") from exc
        except SSLError as exc:
            raise FetchError("The secure connection to the calendar server failed (certificate problem).") from exc
        except (HTTPError, OSError) as exc:
            raise FetchError("The calendar server could not be reached.") from exc
    # (urllib3's NewConnectionError subclasses ConnectTimeoutError: test it first.)
    if isinstance(last_error, ConnectTimeoutError) and not isinstance(last_error, NewConnectionError):
        raise FetchError("The calendar server did not answer in time.") from last_error
    raise FetchError("The calendar server could not be reached.") from last_error
