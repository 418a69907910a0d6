"""The logs a person on call reads: one JSON object a line, the request id and the user id on
each, the id carried into the tasks a request enqueues, and no password, token, card number or
full email address whatever the code passes to the logger."""
import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from core import logs

SECRETS = {
    "password": "hunter2-Correct-Horse",
    "stripe_key": "sk_live_51HxYzAbCdEfGhIjKlMnOp",
    "webhook": "whsec_abcdef0123456789",
    "client_secret": "pi_3Nabc123_secret_XyZ987",
    "card": "4242 4242 4242 4242",
    "card_plain": "5555555555554444",
    "bearer": "eyJhbGciOiJIUzI1NiJ9.payload.signature",
    "ical_token": "Zk3p9QwErTy_uIoP",
    "email": "lucie.martin@demo.almaheritage.fr",
}


@pytest.fixture
def json_log():
    """The root logger's lines as the production handler writes them (settings LOGGING)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    handler.addFilter(logs.MaskingFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def test_secrets_fed_to_the_logger_never_reach_the_output(json_log):
    log = logging.getLogger("alma.test")
    log.info("login password=%s key %s hook %s secret %s", SECRETS["password"], SECRETS["stripe_key"],
             SECRETS["webhook"], SECRETS["client_secret"])
    log.info("paid with %s then %s", SECRETS["card"], SECRETS["card_plain"])
    log.info("GET /ical/%s.ics Authorization: Bearer %s", SECRETS["ical_token"], SECRETS["bearer"])
    log.warning('form {"password": "%s", "email": "%s"}', SECRETS["password"], SECRETS["email"],
                extra={"contact": SECRETS["email"], "token": SECRETS["webhook"]})
    try:
        raise ValueError(f"duplicate key (email)=({SECRETS['email']}) card {SECRETS['card']}")
    except ValueError:
        log.exception("failed for %s", SECRETS["email"])
    lines = json_log()
    output = "\n".join(json.dumps(line) for line in lines)
    for name, secret in SECRETS.items():
        assert secret not in output, name
    assert len(lines) == 5
    # What stays is enough to tell who and what, not to reach anyone.
    assert "l***@demo.almaheritage.fr" in lines[3]["message"]
    assert lines[3]["contact"] == "l***@demo.almaheritage.fr"
    assert "[carte]" in lines[1]["message"]
    assert "/ical/[jeton].ics" in lines[2]["message"]
    assert "Traceback" in lines[4]["exc"] and "l***@demo.almaheritage.fr" in lines[4]["exc"]


def test_numbers_that_are_not_cards_survive():
    # A booking amount in cents, a SIRET, a date: only Luhn-valid card-length numbers are cut.
    text = "amount 1234567890123 siret 912 345 600 00015 on 2026-12-01"
    assert logs.mask(text) == text


def test_each_line_is_one_json_object_with_level_logger_and_time(json_log):
    logging.getLogger("alma.test").info("hello %s", "world", extra={"booking": "AH-BMHW9N"})
    [line] = json_log()
    assert line["message"] == "hello world" and line["level"] == "INFO" and line["logger"] == "alma.test"
    assert line["booking"] == "AH-BMHW9N"
    assert datetime.fromisoformat(line["ts"]).tzinfo is not None


@pytest.mark.django_db
def test_a_request_gets_an_id_sent_back_and_on_its_log_line(client, json_log):
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in json_log() if line["logger"] == "almaheritage.request"]
    assert line["request_id"] == request_id
    assert line["status"] == 200 and line["path"] == "/healthz" and line["method"] == "GET"
    assert "user_id" not in line


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "kept"), [
    ("lb-7f3a9c2e-1b4d", True),
    ("bad id with spaces", False),
    ("x" * 65, False),
    ("evil\u2028line", False),
])
def test_a_sane_x_request_id_is_honoured_and_a_strange_one_replaced(client, given, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert (response["X-Request-ID"] == given) is kept


@pytest.mark.django_db
def test_the_user_id_of_a_signed_in_request_is_on_its_line(owner_client, owner, json_log):
    owner_client.get("/fr/tableau-de-bord/", follow=True)
    lines = [line for line in json_log() if line["logger"] == "almaheritage.request"]
    assert lines and all(line["user_id"] == owner.pk for line in lines)
    assert owner.email not in json.dumps(lines)


def test_the_request_id_travels_in_the_message_of_an_enqueued_task_and_back():
    headers: dict = {}
    request_token = logs.request_id_var.set("req-42")
    user_token = logs.user_id_var.set(7)
    try:
        logs.add_request_headers(headers=headers)
    finally:
        logs.request_id_var.reset(request_token)
        logs.user_id_var.reset(user_token)
    assert headers == {logs.HEADER_REQUEST_ID: "req-42", logs.HEADER_USER_ID: 7}

    class Request:  # what the worker builds from the message's headers
        is_eager = False
        alma_request_id = "req-42"
        alma_user_id = 7

    class Task:
        request = Request()

    logs.enter_task(task_id="t1", task=Task())
    assert (logs.request_id_var.get(), logs.user_id_var.get()) == ("req-42", 7)
    logs.leave_task(task_id="t1")
    assert logs.request_id_var.get() is None


def test_a_beat_task_logs_under_its_own_id():
    class Task:
        request = type("Request", (), {"is_eager": False})()

    logs.enter_task(task_id="abc", task=Task())
    assert logs.request_id_var.get() == "task-abc"
    logs.leave_task(task_id="abc")


@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
def test_a_real_publish_carries_the_request_id_to_the_worker():
    """Through Celery's publishing path and kombu's in-memory broker: the message a worker would
    receive has the id in its headers."""
    from kombu import Connection

    from almaheritage.celery import app

    token = logs.request_id_var.set("req-real-1")
    try:
        with Connection("memory://") as connection:
            queue = connection.SimpleQueue("ops-test-headers")  # declared, so the message is kept
            app.send_task("core.tasks.send_pending_emails", queue="ops-test-headers", connection=connection)
            message = queue.get(timeout=5)
            message.ack()
            queue.close()
    finally:
        logs.request_id_var.reset(token)
    assert message.headers[logs.HEADER_REQUEST_ID] == "req-real-1"


@pytest.mark.django_db
def test_each_booking_transition_writes_one_line(json_log, traveller, unit, owner):
    from datetime import date

    from bookings import services

    now = datetime(2027, 5, 1, 9, tzinfo=UTC)
    booking = services.request_stay(traveller=traveller, unit=unit, arrival=date(2027, 6, 7),
                                    departure=date(2027, 6, 10), adults=2, children=0, now=now)
    services.accept(booking=booking, by=owner, now=now + timedelta(hours=1))
    lines = [line for line in json_log() if line.get("booking") == booking.reference]
    assert [(line["from_status"], line["to_status"]) for line in lines] == [
        ("", "requested"), ("requested", "awaiting_payment")]
    assert lines[1]["actor_id"] == owner.pk


def test_sentry_events_lose_cookies_posted_data_and_personal_data():
    event = {
        "request": {"url": "https://alma.example.org/paiement/", "cookies": {"sessionid": "abc"},
                    "data": {"password": "hunter2"}, "query_string": "email=lucie@example.org",
                    "headers": {"Cookie": "sessionid=abc", "Authorization": "Bearer xyz123456789",
                                "User-Agent": "Firefox"}},
        "user": {"id": 12, "email": SECRETS["email"], "ip_address": "203.0.113.9"},
        "exception": {"values": [{"value": f"no account for {SECRETS['email']} with {SECRETS['card']}",
                                  "stacktrace": {"frames": [{"vars": {"password": "hunter2", "token": "t0k"}}]}}]},
    }
    scrubbed = logs.scrub_event(event)
    text = json.dumps(scrubbed)
    for secret in ("sessionid=abc", "hunter2", "xyz123456789", SECRETS["email"], SECRETS["card"], "203.0.113.9",
                   "lucie@example.org", "t0k"):
        assert secret not in text, secret
    assert scrubbed["user"] == {"id": 12}
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}


def test_sentry_is_started_without_personal_data_when_a_dsn_is_set(monkeypatch):
    import sentry_sdk

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: seen.update(kwargs))
    logs.init_sentry(dsn="https://key@sentry.example.org/1", environment="staging")
    assert seen["send_default_pii"] is False
    assert seen["before_send"] is logs.scrub_event
    assert seen["environment"] == "staging"
