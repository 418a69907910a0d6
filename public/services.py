"""Changes made from the travellers' site: a contact message, stored and routed to staff."""
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import get_language, override

from core.mail import queue_email, render_text

from .models import SUBJECT_INBOX_SETTING, ContactMessage


def inbox_for(subject: str) -> str:
    return getattr(settings, SUBJECT_INBOX_SETTING[subject])


def send_contact_message(*, message: ContactMessage, user=None) -> ContactMessage:
    """Store the message for staff (admin) and email it to the inbox its subject belongs to."""
    message.routed_to = inbox_for(message.subject)
    message.user = user if user is not None and user.is_authenticated else None
    message.language = get_language() or ""
    message.save()
    transaction.on_commit(lambda: _email_staff(message))
    return message


def _email_staff(message: ContactMessage) -> None:
    with override("fr"):  # staff read French
        context = {"message": message}
        subject = f"[{message.get_subject_display()}] {message.name}"
        text = render_text("public/email/contact_staff.txt", context)
        html = render_to_string("public/email/contact_staff.html", context)
    queue_email(subject=subject, text=text, html=html, to=[message.routed_to], reply_to=[message.email])
