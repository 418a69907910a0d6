"""Sending an email the way every app here does: rendered in the recipient's language,
text + HTML, with the platform's subject prefix. Callers decide when (usually on commit).

Every email goes through `queue_email`: stored in `OutgoingEmail`, tried at once, and on a
mail-server failure left pending for `send_pending_emails` (core/tasks.py, every minute) to
retry with a growing delay; the page that sent it answers normally."""
import base64
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Delays after the 1st, 2nd… failed attempt; after the last one the email waits for staff
# (admin, "E-mails sortants": `last_error` says why).
RETRY_DELAYS = [timedelta(minutes=minutes) for minutes in (1, 2, 5, 10, 30, 60, 120, 240, 480, 720)]
SEND_BATCH = 100


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_text(template_name: str, context: dict) -> str:
    """A plain-text email body or subject: rendered without HTML escaping (the "text" engine)."""
    return render_to_string(template_name, context, using="text")


def header_safe(value: str) -> str:
    """One line: CR/LF in a header make Django refuse the whole email (BadHeaderError)."""
    return " ".join(str(value).split())


def send_in_language(*, to: str, language: str, template: str, build: Callable[[], tuple[str, dict]],
                     reply_to: str | None = None, attachments: Sequence[tuple[str, bytes, str]] = ()) -> str:
    """`build()` runs inside the recipient's language and returns (subject, context) for
    `template`.txt and `template`.html; `attachments` are (filename, content, mimetype).
    Returns the subject sent."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, context = build()
        subject = header_safe(subject)
        text = render_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    queue_email(subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text=text, html=html, to=[to],
                reply_to=[reply_to] if reply_to else [], attachments=attachments)
    return subject


def queue_email(*, subject: str, text: str, html: str = "", to: list[str], reply_to: list[str] = (),
                from_email: str = "", attachments: Sequence[tuple[str, bytes, str]] = ()) -> OutgoingEmail:
    """Store the email, then try to send it now; a failure leaves it pending for the worker."""
    email = OutgoingEmail.objects.create(
        subject=header_safe(subject), text=text, html=html, to=[header_safe(a) for a in to],
        reply_to=[header_safe(a) for a in reply_to], from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        attachments=[[name, base64.b64encode(content).decode(), mimetype] for name, content, mimetype in attachments],
        next_attempt_at=timezone.now())
    deliver(email, now=timezone.now())
    return email


def queue_message(message: EmailMessage) -> OutgoingEmail:
    """An email built elsewhere (allauth's account emails) goes the same way."""
    html = next((content for content, mimetype in getattr(message, "alternatives", [])
                 if mimetype == "text/html"), "")
    text = message.body
    if message.content_subtype == "html" and not html:
        html, text = message.body, ""
    return queue_email(subject=message.subject, text=text, html=html, to=list(message.to),
                       reply_to=list(message.reply_to), from_email=message.from_email)


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(email.subject, email.text, email.from_email, to=email.to,
                                     reply_to=email.reply_to or None,
                                     connection=get_connection(timeout=settings.EMAIL_TIMEOUT))
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for name, content, mimetype in email.attachments:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def deliver(email: OutgoingEmail, *, now: datetime) -> bool:
    """One attempt. Any failure of the mail server (refused, down, timeout, rejected
    recipient) is recorded and retried later, never raised to the page."""
    try:
        _message(email).send()
    except Exception as error:  # noqa: BLE001 — smtplib and sockets raise many kinds; all mean "later"
        email.attempts += 1
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        delay = RETRY_DELAYS[email.attempts - 1] if email.attempts <= len(RETRY_DELAYS) else None
        email.next_attempt_at = now + delay if delay else None
        email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, email.last_error)
        return False
    email.attempts += 1
    email.sent_at, email.next_attempt_at = now, None
    email.save(update_fields=["attempts", "sent_at", "next_attempt_at"])
    return True


def send_pending_emails(*, now: datetime) -> int:
    """The periodic retry: every pending email whose delay has passed. Returns how many left."""
    sent = 0
    due = OutgoingEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by("next_attempt_at")
    for pk in list(due.values_list("pk", flat=True)[:SEND_BATCH]):
        with transaction.atomic():
            # Two workers never send one email twice: the row is locked while it is tried.
            email = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(
                pk=pk, sent_at__isnull=True).first()
            if email is not None:
                sent += deliver(email, now=now)
    return sent


@dataclass
class Message:
    """A short email: a subject, plain-text paragraphs, at most one button — what the review
    and report emails say, laid out by templates/emails/message.(txt|html)."""

    subject: str
    paragraphs: list[str] = field(default_factory=list)
    action: tuple[str, str] | None = None  # (button label, absolute URL)


def send_message(user, build: Callable[[], Message], *, to: str = "", language: str = "",
                 reply_to: str | None = None) -> None:
    """`build()` in the recipient's language, to `user` (skipped for an erased account or one
    without an address) or to the address `to` (a staff inbox) in `language`. A failure is
    logged, never raised: the change that sent it is already committed."""
    if not to and (user is None or user.deleted_at is not None or not user.email):
        return

    def subject_and_context():
        message = build()
        return message.subject, {"message": message, "recipient": user}

    try:
        send_in_language(to=to or user.email, language=language or user.language, template="emails/message",
                         build=subject_and_context, reply_to=reply_to)
    except Exception:
        logger.exception("email to %s failed", to or user.email)
