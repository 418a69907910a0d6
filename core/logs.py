"""Logs as one JSON object a line, for web and workers alike (LOGGING in settings/base.py,
docs/operations.md#logs), each carrying the request id and the user id of the request or task
that wrote it, and never a password, a token, a card number or a full email address.

The request id lives in a context variable: core.middleware.RequestIdMiddleware sets it for a
request, operations' Celery signal handlers carry it into the tasks the request enqueues."""
from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
# The request being served, so the user id can be read once authentication has run.
request_var: contextvars.ContextVar[Any] = contextvars.ContextVar("request", default=None)

# A client's X-Request-ID is kept only when it looks like an id (a proxy's, a load
# balancer's): no spaces, no control characters, nothing a log reader could mistake.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

# --- Masking ---------------------------------------------------------------------------------
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# Stripe keys and webhook secrets, bearer tokens, and "password=…"-like pairs in any quoting.
_STRIPE_SECRET = re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9_]+|\bwhsec_[A-Za-z0-9_]+|\bpi_[A-Za-z0-9]+_secret_\w+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
_SECRET_PAIR = re.compile(
    r"(?i)([\"']?\b(?:password|passwd|pwd|secret|token|api[_-]?key|authorization|cvc|cvv|card[_-]?number|"
    r"sessionid|csrfmiddlewaretoken|csrftoken)\b[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&}]+)")
# 15, 16 or 19 digits, maybe grouped by spaces or dashes, passing Luhn: a payment card number
# (14-digit SIRETs pass Luhn too, and are public: they stay).
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
# Secret URLs: the calendar export tokens (/ical/<token>.ics), password-reset and confirmation keys.
_URL_TOKEN = re.compile(r"(/ical/)[^/\s\"']+(\.ics)|(/(?:password/reset/key|confirm-email)/)[^/\s\"']+")


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[carte]" if len(digits) in (15, 16, 19) and _luhn(digits) else match.group(0)


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _secret_pair(match: re.Match) -> str:
    quote = match.group(2)[0] if match.group(2)[:1] in ("'", '"') else ""
    return f"{match.group(1)}{quote}[secret]{quote}"


def _url_token(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}[jeton]{match.group(2)}"
    return f"{match.group(3)}[jeton]"


def mask(text: str) -> str:
    """The text with secrets replaced and email addresses cut to their first letter and domain
    (l***@example.org: enough to tell two people apart in a log, not to write to them)."""
    # Each rule runs only when its telltale character is there: most log text has none, and
    # the regexes are the cost of a log line.
    if "_" in text:
        text = _STRIPE_SECRET.sub("[secret]", text)
    if "earer" in text or "asic" in text or "EARER" in text or "ASIC" in text:
        text = _BEARER.sub(lambda m: f"{m.group(1)} [secret]", text)
    if "=" in text or ":" in text:
        text = _SECRET_PAIR.sub(_secret_pair, text)
    if "/ical/" in text or "/key/" in text or "confirm-email" in text:
        text = _URL_TOKEN.sub(_url_token, text)
    if len(text) >= 15:
        text = _CARD.sub(_card, text)
    if "@" in text:
        text = _EMAIL.sub(r"\1***@\2", text)
    return text


class MaskingFilter(logging.Filter):
    """On a handler: the message (arguments merged in) and string extras are masked, whatever
    the formatter; the JSON formatter masks every value again (tracebacks included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a bad format string still gets logged, as written
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, str | dict | list | tuple):
                setattr(record, key, _scrub(value))
        record._alma_masked = True
        return True


class ContextFilter(logging.Filter):
    """Adds request_id and user_id to every record of this request or task."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get() or _request_user_id()
        return True


def _request_user_id() -> int | None:
    """The user of the current request, only if authentication already looked it up: a log
    line must never cost a query (Django's request.user is lazy)."""
    request = request_var.get()
    user = getattr(request, "__dict__", {}).get("user") if request is not None else None
    wrapped = getattr(user, "_wrapped", None)
    if wrapped is None or type(wrapped).__name__ == "object":  # SimpleLazyObject's `empty`
        return None
    return getattr(wrapped, "pk", None) if getattr(wrapped, "is_authenticated", False) else None


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id",
                                                                          "user_id", "taskName"}


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "message", "request_id", "user_id", extras…, "exc"}."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "user_id"):
            if getattr(record, key, None) is not None:
                entry[key] = getattr(record, key)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if not getattr(record, "_alma_masked", False):
            entry = _scrub(entry)  # a handler without MaskingFilter: mask here
        elif "exc" in entry:
            entry["exc"] = mask(entry["exc"])
        # Masked value by value, before serialising: the line stays valid JSON.
        return json.dumps(entry, default=lambda value: mask(str(value)), ensure_ascii=False)


# --- Celery: the request id travels with the tasks a request enqueues ----------------------------
HEADER_REQUEST_ID = "alma_request_id"
HEADER_USER_ID = "alma_user_id"
_task_tokens: dict[str, tuple] = {}


def add_request_headers(headers: dict | None = None, **kwargs) -> None:
    """before_task_publish: the publishing request's (or task's) ids go into the message."""
    if headers is None:
        return
    request_id = request_id_var.get()
    if request_id:
        headers.setdefault(HEADER_REQUEST_ID, request_id)
    user_id = user_id_var.get() or _request_user_id()
    if user_id:
        headers.setdefault(HEADER_USER_ID, user_id)


def enter_task(task_id: str | None = None, task=None, **kwargs) -> None:
    """task_prerun: the task logs under its request's id, or under its own id when nobody's
    request queued it (beat). An eager task (tests) runs inside its caller and keeps its ids."""
    request = getattr(task, "request", None)
    given = getattr(request, HEADER_REQUEST_ID, None) or (getattr(request, "headers", None) or {}).get(
        HEADER_REQUEST_ID)
    if not given and getattr(request, "is_eager", False):
        return
    user = getattr(request, HEADER_USER_ID, None) or (getattr(request, "headers", None) or {}).get(HEADER_USER_ID)
    request_id = given if isinstance(given, str) and SANE_REQUEST_ID.fullmatch(given) else f"task-{task_id}"
    _task_tokens[task_id or ""] = (request_id_var.set(request_id), user_id_var.set(user if isinstance(user, int)
                                                                                       else None))


def leave_task(task_id: str | None = None, **kwargs) -> None:
    tokens = _task_tokens.pop(task_id or "", None)
    if tokens:
        request_id_var.reset(tokens[0])
        user_id_var.reset(tokens[1])


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(add_request_headers, weak=False, dispatch_uid="alma-request-id-publish")
    task_prerun.connect(enter_task, weak=False, dispatch_uid="alma-request-id-prerun")
    task_postrun.connect(leave_task, weak=False, dispatch_uid="alma-request-id-postrun")


# --- Sentry (optional: SENTRY_DSN) -----------------------------------------------------------------
_DROPPED_REQUEST_PARTS = ("cookies", "data", "env")
_DROPPED_HEADERS = {"cookie", "authorization", "x-csrftoken", "stripe-signature"}


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: "[secret]" if _SECRET_PAIR.fullmatch(f"{key}=x") else _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """before_send: no cookies, posted data or auth headers at all, every other string masked
    (local variables of the traceback included), the user reduced to an id."""
    request = event.get("request") or {}
    for part in _DROPPED_REQUEST_PARTS:
        request.pop(part, None)
    headers = request.get("headers") or {}
    request["headers"] = {key: value for key, value in headers.items() if key.lower() not in _DROPPED_HEADERS}
    if "query_string" in request:
        request["query_string"] = "[filtré]" if request["query_string"] else ""
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _scrub(event)


def init_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False, before_send=scrub_event,
                    integrations=[DjangoIntegration(), CeleryIntegration()], traces_sample_rate=0.0,
                    max_request_body_size="never")
