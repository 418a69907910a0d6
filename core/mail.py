"""Sending an email the way every app here does: rendered in the recipient's language,
text + HTML, with the platform's subject prefix. Callers decide when (usually on commit)."""
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_in_language(*, to: str, language: str, template: str, build: Callable[[], tuple[str, dict]],
                     reply_to: str | None = None, attachments: Sequence[tuple[str, bytes, str]] = ()) -> str:
    """`build()` runs inside the recipient's language and returns (subject, context) for
    `template`.txt and `template`.html; `attachments` are (filename, content, mimetype).
    Returns the subject sent."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, context = build()
        subject = " ".join(str(subject).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    email = EmailMultiAlternatives(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text, to=[to],
                                   reply_to=[reply_to] if reply_to else None)
    email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    email.send()
    return subject
