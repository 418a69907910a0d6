"""Emails to owners: in the recipient's language, HTML + text, sent once the transaction commits."""
from django.conf import settings
from django.db import transaction

from accounts.models import User
from core.mail import render_text, send_in_language


def send_owner_email(*, user: User, template: str, context: dict) -> None:
    """Render domains/emails/<template>{_subject.txt,.txt,.html} in the user's language."""
    if not user.email or not user.is_active:
        return
    context = {**context, "user": user, "SITE_URL": settings.SITE_URL}

    def subject_and_context():
        return render_text(f"domains/emails/{template}_subject.txt", context).strip(), context

    def send() -> None:
        send_in_language(to=user.email, language=user.language, template=f"domains/emails/{template}",
                         build=subject_and_context)

    transaction.on_commit(send)
