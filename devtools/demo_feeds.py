"""`make run`'s demo feed server: the demo's import feeds, served on 127.0.0.1.

The demo's calendar feeds (calsync/demo.py) point here instead of at real platforms, so
running the demo never fetches a third-party URL. Each GET of
``/demo-feeds/unit-<id>.ics`` answers the unit's feed in its platform's format, built at
request time from the database (calsync.demo.demo_calendar), with a weak ETag so the
sync's conditional GET gets a 304 while nothing changed. The calendar fetcher reaches
it because development settings list it in CALSYNC_ALLOWED_LOCAL_URL_PREFIXES.
"""
from __future__ import annotations

import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from django.db import close_old_connections
from django.utils import timezone

from calsync.demo import demo_calendar

HOST = "127.0.0.1"  # never another interface: a development tool
PATH = re.compile(r"/demo-feeds/unit-(?P<unit>\d{1,18})\.ics")


class DemoFeedHandler(BaseHTTPRequestHandler):
    server_version = "AlmaDemoFeeds/1.0"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        match = PATH.fullmatch(urlsplit(self.path).path)
        found = self._calendar(int(match["unit"])) if match else None
        if found is None:
            self._answer(HTTPStatus.NOT_FOUND, b"No demo feed here.\n", content_type="text/plain; charset=utf-8")
            return
        body, etag = found
        if etag in (value.strip() for value in self.headers.get("If-None-Match", "").split(",")):
            self._answer(HTTPStatus.NOT_MODIFIED, b"", etag=etag)
            return
        self._answer(HTTPStatus.OK, body, etag=etag, content_type="text/calendar; charset=utf-8")

    def _calendar(self, unit_id: int) -> tuple[bytes, str] | None:
        close_old_connections()
        try:
            return demo_calendar(unit_id=unit_id, now=timezone.now())
        finally:
            close_old_connections()

    def _answer(self, status: HTTPStatus, body: bytes, *, etag: str = "", content_type: str = "") -> None:
        self.send_response(status)
        if etag:
            self.send_header("ETag", etag)
        if content_type:
            self.send_header("Content-Type", content_type)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        print(f"{self.address_string()} {format % args}", flush=True)  # honcho adds the time


def make_server(*, port: int) -> ThreadingHTTPServer:
    """The server bound to 127.0.0.1:``port`` (0 picks a free one); call serve_forever()."""
    server = ThreadingHTTPServer((HOST, port), DemoFeedHandler)
    server.daemon_threads = True
    return server
