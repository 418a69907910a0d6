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


class TlsTrickleServer:
    """A TLS feed server on 127.0.0.1 that is slow *inside the handshake*. It accepts the TCP
    connection, then either never answers the ClientHello (`mode="silent"`) or runs a real
    handshake (TLS through memory buffers, so each byte's timing is ours) and sends its
    handshake bytes one at a time, `every` seconds apart (`mode="trickle"`). With `every=0`
    the handshake completes and the feed is served, which shows the handshake is genuine."""

    def __init__(self, context, mode: str, *, every: float = 0.5, lasts: float = 30.0):
        self.context, self.mode, self.every, self.lasts = context, mode, every, lasts
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True, name="tls-trickle-server")

    def url(self, path: str = "/cal.ics") -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    __enter__ = TrickleServer.__enter__
    __exit__ = TrickleServer.__exit__
    _serve = TrickleServer._serve

    def _answer(self, conn: socket.socket) -> None:
        import ssl

        ends = time.monotonic() + self.lasts
        conn.settimeout(0.2)
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self.context.wrap_bio(incoming, outgoing, server_side=True)

        def alive() -> bool:
            return not self.stopped.is_set() and time.monotonic() < ends

        def receive() -> bytes | None:
            while alive():
                try:
                    return conn.recv(65536)
                except TimeoutError:
                    continue
            return None

        def send(data: bytes) -> None:
            if not self.every:
                conn.sendall(data)
                return
            for byte in data:
                if not alive():
                    return
                conn.sendall(bytes([byte]))
                time.sleep(self.every)

        try:
            if self.mode == "silent":
                receive()  # the ClientHello, never answered
                while alive():
                    time.sleep(0.05)
                return
            while alive():
                try:
                    tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    send(outgoing.read())
                    data = receive()
                    if not data:
                        return
                    incoming.write(data)
            send(outgoing.read())
            request = b""
            while b"\r\n\r\n" not in request and alive():
                try:
                    request += tls.read(65536)
                except ssl.SSLWantReadError:
                    data = receive()
                    if not data:
                        return
                    incoming.write(data)
            tls.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n"
                      b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY))
            send(outgoing.read())
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()
