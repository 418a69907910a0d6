"""The production layout for real, on this machine: 2 gunicorn processes, 2 Celery workers and
1 beat against PostgreSQL and Redis on 127.0.0.1, the local Stripe server for money. A traveller
requests a stay over HTTP, the owner accepts it, the traveller pays (card confirmed at the local
Stripe server, result read on the return page); another traveller's request, unanswered past
its deadline, is expired by beat's sweep in a worker; the month's payout is queued to the
workers for a stay that ended last month. Each periodic job ran once per schedule (one beat),
each email was sent once, one transfer left. Marker slow (about a minute)."""
import os
import signal
import socket
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")]
ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
# A Redis database of its own: the test empties it (bookings' worker tests use 5, CI's runs 0).
REDIS_URL = os.environ.get("OPERATIONS_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
QUEUES = "calsync,bookings,emails,exports,payouts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (f"postgresql://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
            f"/{config['NAME']}")


def wait_for(what: str, check, timeout: float = 90.0, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


@pytest.fixture
def history(owner, traveller, unit, stripe_server):
    """What happened before the processes start (so beat's first sweep already sees it)."""
    from bookings import services as bookings
    from conftest import make_user
    from core.dates import today_in_paris
    from payouts.tests.money import onboarded, pay

    now = timezone.now()
    account = onboarded(owner, stripe_server)
    # A stay that ended last month, paid long ago: this month's payout owes it to the owner.
    first_of_month = today_in_paris(now).replace(day=1)
    booked_long_ago = now - timedelta(days=70)
    ended = bookings.request_stay(traveller=traveller, unit=unit, arrival=first_of_month - timedelta(days=10),
                                  departure=first_of_month - timedelta(days=7), adults=2, children=0,
                                  now=booked_long_ago)
    bookings.accept(booking=ended, by=owner, now=booked_long_ago)
    pay(ended, now=booked_long_ago)
    # Another traveller's request the owner never answered: its deadline passed yesterday.
    james = make_user("james@example.org")
    unanswered = bookings.request_stay(traveller=james, unit=unit, arrival=today_in_paris(now) + timedelta(days=60),
                                       departure=today_in_paris(now) + timedelta(days=62), adults=2, children=0,
                                       now=now - timedelta(days=bookings_response_days() + 1))

    return {"account": account, "ended": ended, "unanswered": unanswered, "james": james}


@pytest.fixture
def platform(history, tmp_path, localstripe_url, stripe_server):
    """Starts the processes; yields the site's URL; stops them (process groups, by pid)."""
    if connection.vendor != "postgresql":
        pytest.skip("the multi-process check runs on PostgreSQL (DATABASE_URL=postgres://…)")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    from django.conf import settings

    from devtools.testing import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET

    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "almaheritage.settings.dev", "DATABASE_URL": database_url(), "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": REDIS_URL, "REDIS_URL": REDIS_URL, "SITE_URL": f"http://127.0.0.1:{port}",
        "STRIPE_API_BASE": localstripe_url, "STRIPE_JS_URL": f"{localstripe_url}/js.stripe.com/v3/",
        "STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "EXPIRE_BOOKINGS_EVERY_SECONDS": "2", "LOG_FORMAT": "json",
        "ALMA_VAR_DIR": str(tmp_path / "var"),
        # The test's own key: the sessions it signs in (browser_for) must be valid for gunicorn.
        "SECRET_KEY": settings.SECRET_KEY, "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    })
    commands = {
        "web": [str(BIN / "gunicorn"), "almaheritage.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "--timeout", "60"],
        "worker-1": [str(BIN / "celery"), "-A", "almaheritage", "worker", "-Q", QUEUES, "-n", "one@%h",
                     "--pool=solo", "--without-gossip", "--without-mingle", "-l", "info"],
        "worker-2": [str(BIN / "celery"), "-A", "almaheritage", "worker", "-Q", QUEUES, "-n", "two@%h",
                     "--pool=solo", "--without-gossip", "--without-mingle", "-l", "info"],
        "beat": [str(BIN / "celery"), "-A", "almaheritage", "beat", "-l", "info", "--pidfile=",
                 f"--schedule={tmp_path / 'beat-schedule'}"],
    }
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in commands}  # noqa: SIM115
    processes = {name: subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT,
                                        start_new_session=True) for name, command in commands.items()}
    base = f"http://127.0.0.1:{port}"
    started_at = timezone.now()
    try:
        wait_for("gunicorn", lambda: _up(f"{base}/healthz"))
        yield {"url": base, "logs": tmp_path, "processes": processes, "started_at": started_at}
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for handle in logs.values():
            handle.close()
        redis.Redis.from_url(REDIS_URL).flushdb()


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def browser_for(user, base: str) -> requests.Session:
    """A signed-in HTTP client: a session made by Django in the shared database, its cookie sent
    to gunicorn, and the CSRF cookie and header every POST needs."""
    django_client = Client()
    django_client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value, domain="127.0.0.1")
    session.get(f"{base}/", timeout=20)
    session.headers["X-CSRFToken"] = session.cookies.get("csrftoken") or ""
    session.headers["Referer"] = f"{base}/"
    return session


def test_the_platform_runs_a_booking_month_across_processes(history, platform, owner, traveller, unit,
                                                            stripe_server):
    from accounts.models import User
    from bookings.models import Booking, BookingStatus
    from core.dates import paris_midnight, today_in_paris
    from core.models import OutgoingEmail
    from operations.models import JobRun
    from payouts.models import Payment, Payout, PayoutStatus

    base = platform["url"]
    now = timezone.now()
    first_of_month = today_in_paris(now).replace(day=1)
    account, ended, unanswered, james = history["account"], history["ended"], history["unanswered"], history["james"]
    # 1. The traveller asks for three nights, over HTTP.
    lucie = browser_for(traveller, base)
    arrival = today_in_paris(now) + timedelta(days=30)
    answer = lucie.post(f"{base}/fr/reserver/sejour/{unit.pk}/", timeout=30, allow_redirects=False, data={
        "arrival": arrival.isoformat(), "departure": (arrival + timedelta(days=3)).isoformat(),
        "adults": "2", "children": "0", "message": "Bonjour", "phone": "06 12 34 56 78"})
    assert answer.status_code == 302 and "/fr/mes-voyages/" in answer.headers["Location"], answer.headers
    booking = Booking.objects.exclude(pk__in=[ended.pk, unanswered.pk]).get()
    assert booking.status == BookingStatus.REQUESTED

    # 2. The owner accepts it from "Réservations".
    helene = browser_for(owner, base)
    accepted = helene.post(f"{base}/fr/tableau-de-bord/reservations/{booking.reference}/accepter/", timeout=30,
                           data={"next": "/fr/tableau-de-bord/reservations/"}, allow_redirects=False)
    assert accepted.status_code == 302, accepted.text[:500]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT

    # 3. The traveller pays: the page creates the PaymentIntent, the card is confirmed at the local
    #    Stripe server (Stripe.js's part), the return page asks Stripe and confirms the booking.
    page = lucie.get(f"{base}/fr/paiement/{booking.reference}/", timeout=30)
    assert page.status_code == 200, page.text[:500]
    payment = Payment.objects.get(booking=booking)
    intent = stripe_server.intent(payment.stripe_payment_intent_id)
    assert stripe_server.pay(intent["id"], intent["client_secret"]).status_code == 200
    result = lucie.get(f"{base}/fr/paiement/{booking.reference}/retour/", params={"payment_intent": intent["id"]},
                       timeout=30)
    assert result.status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    # 4. Beat's sweep expires the unanswered request in a worker.
    wait_for("the unanswered request to expire",
             lambda: Booking.objects.get(pk=unanswered.pk).status == BookingStatus.EXPIRED)

    # 5. Month end: the payout job, queued to the workers.
    from kombu import Connection

    from almaheritage.celery import app

    with Connection(REDIS_URL) as broker:
        app.send_task("payouts.tasks.run_payouts", connection=broker, queue="payouts")
    payout = wait_for("the month's payout", lambda: Payout.objects.filter(
        owner=owner, status=PayoutStatus.SENT).first())
    assert payout.amount_cents > 0
    transfers = stripe_server.transfers(destination=account.stripe_account_id)
    assert [transfer["amount"] for transfer in transfers] == [payout.amount_cents]

    # Let every email queued by the workers go out, then read what happened.
    wait_for("the emails", lambda: not OutgoingEmail.objects.filter(sent_at__isnull=True).exists(), timeout=30)
    runs = Counter(JobRun.objects.values_list("job__task", flat=True))
    assert runs["payouts.tasks.run_payouts"] == 1
    # One beat: the 2-second sweep never started twice within a second, and no more often than
    # its period allows over the platform's life (two beats would double it).
    sweeps = list(JobRun.objects.filter(job__task="bookings.tasks.expire_bookings").order_by("started_at")
                  .values_list("started_at", flat=True))
    lifetime = (timezone.now() - platform["started_at"]).total_seconds()
    assert 1 <= len(sweeps) <= lifetime / 2 + 1, (len(sweeps), lifetime)
    assert all(later - earlier >= timedelta(seconds=1) for earlier, later in zip(sweeps, sweeps[1:], strict=False))
    assert not JobRun.objects.exclude(outcome="success").exclude(outcome="running").exists()

    sent = Counter((tuple(email.to), email.subject) for email in OutgoingEmail.objects.all())
    assert sent and max(sent.values()) == 1, [key for key, count in sent.items() if count > 1]
    to_lucie = [subject for (to, subject) in sent if traveller.email in to]
    to_james = [subject for (to, subject) in sent if james.email in to]
    assert len([subject for subject in to_james if "expiré" in subject]) == 1  # the expiry, once
    assert len(to_lucie) >= 2  # accepted, then confirmed
    assert User.objects.filter(email=james.email).exists()
    assert paris_midnight(first_of_month) <= timezone.now()


def bookings_response_days() -> int:
    from django.conf import settings

    return settings.BOOKING_RESPONSE_DAYS
