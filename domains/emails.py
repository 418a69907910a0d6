"""Emails to owners: in the recipient's language, HTML + text, sent once the transaction commits."""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User


def send_owner_email(*, user: User, template: str, context: dict) -> None:
    """Render domains/emails/<template>{_subject.txt,.txt,.html} in the user's language."""
    if not user.email or not user.is_active:
        return
    context = {**context, "user": user, "SITE_URL": settings.SITE_URL}

    def send() -> None:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"domains/emails/{template}_subject.txt", context).strip()
            text = render_to_string(f"domains/emails/{template}.txt", context)
            html = render_to_string(f"domains/emails/{template}.html", context)
        message = EmailMultiAlternatives(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
                                         text, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(send)
