"""The local Stripe server for tests: start it (one per test session, per xdist worker, on a
free port of 127.0.0.1), point the settings at it, and drive it (`StripeServer`) the way
Stripe's dashboard, Stripe.js or Stripe itself would. The pytest fixtures that use these
live in each app's tests/conftest.py (payouts/tests/conftest.py, devtools/tests/conftest.py).
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parents[1]
SECRET_KEY = "sk_test_alma_tests"  # noqa: S105
PUBLISHABLE_KEY = "pk_test_alma_tests"
WEBHOOK_SECRET = "whsec_alma_tests"  # noqa: S105
VISA = "4242424242424242"
DECLINED = "4000000000000341"  # attaches, then is declined when charged
PLATFORM = "platform"
TIMEOUT = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_stripe_server() -> Iterator[str]:
    """A fresh server in a subprocess (state in memory only); yields its base URL."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="localstripe-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "devtools.localstripe", "--port", str(port)],
                               cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, Path(log.name))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{url}/js.stripe.com/v3/", timeout=1).raise_for_status()
            return
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"local Stripe server did not start: {log.read_text()}") from None
            time.sleep(0.1)


def point_settings_at(settings, url: str) -> None:
    """Django settings (pytest-django's `settings` fixture) for the server at `url`."""
    settings.STRIPE_API_BASE = url
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_JS_URL = f"{url}/js.stripe.com/v3/"


@dataclass
class StripeServer:
    """What a test does to the local server besides our code's own SDK calls."""

    url: str

    def reset(self) -> None:
        """Forget every object, idempotency key, failure, balance and webhook endpoint."""
        self._send("DELETE", "/_config/data")
        self._send("DELETE", "/_config/webhooks")

    # --- Payments (Stripe.js's side) --------------------------------------------------
    def pay(self, intent_id: str, client_secret: str, *, card: str = VISA) -> requests.Response:
        """What Stripe.js does when the traveller submits the card Element."""
        body = {"key": PUBLISHABLE_KEY, "client_secret": client_secret,
                "payment_method_data": {"type": "card", "card": {"number": card, "exp_month": "12",
                                                                  "exp_year": "2034", "cvc": "123"}}}
        return requests.post(f"{self.url}/v1/payment_intents/{intent_id}/confirm", data=json.dumps(body),
                             timeout=TIMEOUT)

    def intent(self, intent_id: str) -> dict:
        return self._get(f"/v1/payment_intents/{intent_id}")

    def refunds(self, intent_id: str) -> list[dict]:
        return self._get("/v1/refunds", payment_intent=intent_id)["data"]

    # --- Webhooks ---------------------------------------------------------------------
    def send_webhooks_to(self, url: str, *, secret: str = WEBHOOK_SECRET, connect: bool | None = None,
                         name: str = "alma") -> None:
        """Deliver events, signed with `secret`, to `url`: every event (connect=None), only
        Connect events (True) or only the platform's (False)."""
        data = {"url": url, "secret": secret}
        if connect is not None:
            data["connect"] = "true" if connect else "false"
        self._send("POST", f"/_config/webhooks/{name}", data=data)

    def events(self, kind: str | None = None) -> list[dict]:
        """Events the server emitted, newest first (what Stripe's dashboard lists)."""
        return list(reversed(self._all("/v1/events", **({"type": kind} if kind else {}))))  # stored oldest first

    # --- Connect ------------------------------------------------------------------------
    def account(self, account_id: str) -> dict:
        return self._get(f"/v1/accounts/{account_id}")

    def complete_onboarding(self, account_id: str) -> dict:
        """As if the owner finished Stripe's onboarding: transfers active, payouts enabled."""
        return self._config_account(account_id, state="complete")

    def require_document(self, account_id: str, *, deadline: int | None = None) -> dict:
        """As if Stripe asked for an identity document: past due (transfers inactive) without
        `deadline`, else due by `deadline` (epoch seconds) with what was enabled kept."""
        return self._config_account(account_id, state="document", **({"deadline": deadline} if deadline else {}))

    def restart_onboarding(self, account_id: str) -> dict:
        return self._config_account(account_id, state="new")

    def transfers(self, transfer_group: str | None = None, destination: str | None = None) -> list[dict]:
        """Every transfer (newest first), filtered as Stripe's list filters them."""
        filters = {name: value for name, value in (("transfer_group", transfer_group),
                                                   ("destination", destination)) if value}
        return self._all("/v1/transfers", **filters)

    def reversals(self, transfer_id: str) -> list[dict]:
        return self._all(f"/v1/transfers/{transfer_id}/reversals")

    def balance(self, account: str | None = None) -> int:
        """Available balance in cents of the platform (None) or of a connected account."""
        headers = {"Stripe-Account": account} if account and account != PLATFORM else {}
        return self._get("/v1/balance", headers=headers)["available"][0]["amount"]

    def set_balance(self, account: str | None, cents: int) -> None:
        """Set an available balance; the platform's is enforced from then on (a transfer it
        does not cover is refused with `balance_insufficient`)."""
        self._send("POST", f"/_config/balance/{account or PLATFORM}", data={"amount": cents})

    def open_dispute(self, payment_intent: str, *, amount: int | None = None, reason: str = "fraudulent") -> dict:
        """What the cardholder's bank does: `charge.dispute.created`, the amount withdrawn."""
        data = {"payment_intent": payment_intent, "reason": reason, **({"amount": amount} if amount else {})}
        return self._send("POST", "/_config/disputes", data=data).json()

    def close_dispute(self, dispute_id: str, *, status: str = "lost") -> dict:
        """The bank's decision ("won" gives the amount back): `charge.dispute.closed`."""
        return self._send("POST", f"/_config/disputes/{dispute_id}/close", data={"status": status}).json()

    # --- Failures and time ------------------------------------------------------------
    def fail_next(self, path: str, count: int = 1, mode: str = "500", method: str = "POST", *,
                  match: str = "exact", seconds: float = 3) -> None:
        """The next `count` calls to (method, path) fail: mode "500" (before anything runs),
        "timeout" (runs, then the answer is held `seconds`), "insufficient_funds"
        (`balance_insufficient`). `match="prefix"` matches every path under `path`."""
        self._send("POST", "/_config/failures", data={"path": path, "count": count, "mode": mode, "method": method,
                                                      "match": match, "seconds": seconds})

    def clear_failures(self) -> None:
        self._send("DELETE", "/_config/failures")

    def advance_clock(self, seconds: float) -> None:
        """Move the server's clock (idempotency keys live 24 h, account links 5 min)."""
        self._send("POST", "/_config/clock", data={"advance": seconds})

    # --- HTTP ---------------------------------------------------------------------------
    def _config_account(self, account_id: str, **data) -> dict:
        return self._send("POST", f"/_config/accounts/{account_id}", data=data).json()

    def _all(self, path: str, **filters) -> list[dict]:
        items, after = [], None
        while True:
            page = self._get(path, limit=100, **filters, **({"starting_after": after} if after else {}))
            items += page["data"]
            if not page["has_more"]:
                return items
            after = page["data"][-1]["id"]

    def _get(self, path: str, *, headers: dict | None = None, **query) -> dict:
        response = requests.get(self.url + path, params=query, timeout=TIMEOUT,
                                headers={"Authorization": f"Bearer {SECRET_KEY}", **(headers or {})})
        response.raise_for_status()
        return response.json()

    def _send(self, method: str, path: str, *, data: dict | None = None) -> requests.Response:
        response = requests.request(method, self.url + path, data=data, timeout=TIMEOUT,
                                    headers={"Authorization": f"Bearer {SECRET_KEY}"})
        response.raise_for_status()
        return response


def at_once(work, count: int = 10) -> list:
    """`work(n)` for n in range(count), from `count` threads released together (PostgreSQL
    concurrency tests): what each returned or raised, in the order they finished. Each thread
    closes its database connections."""
    from django.db import connections

    barrier = threading.Barrier(count)
    outcomes: list = []

    def run(n):
        try:
            barrier.wait()
            outcomes.append(work(n))
        except Exception as error:  # noqa: BLE001 - every outcome is the caller's to assert
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
