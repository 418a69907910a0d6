"""A hostile feed server on 127.0.0.1: it accepts, then sends its answer one byte a second
(in the headers or in the body), so every read gets something before any read timeout."""
from __future__ import annotations

import socket
import threading
import time

BODY = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + b"X-PAD:" + b"x" * 10_000 + b"\r\nEND:VCALENDAR\r\n"


class TrickleServer:
    """`mode`: "headers" trickles the status line and headers, "body" sends the headers at
    once and trickles an endless body. Serves each connection for at most `lasts` seconds."""

    def __init__(self, mode: str, *, every: float = 1.0, lasts: float = 30.0):
        self.mode, self.every, self.lasts = mode, every, lasts
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True, name="trickle-server")

    def url(self, path: str = "/cal.ics") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> TrickleServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True, name="trickle-conn").start()

    def _answer(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nX-Slow: " + b"y" * 200 + b"\r\n\r\n"
        ends = time.monotonic() + self.lasts
        try:
            conn.recv(65536)
            if self.mode == "body":
                conn.sendall(head)
                stream = BODY * 1000
            else:
                stream = head + BODY
            for byte in stream:
                if self.stopped.is_set() or time.monotonic() > ends:
                    break
                conn.sendall(bytes([byte]))
                time.sleep(self.every)
        except OSError:
            pass
        finally:
            conn.close()
