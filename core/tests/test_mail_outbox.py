"""The mail server down or refusing: pages answer normally, the emails wait in the outbox
and the retry job sends them once the server is back."""
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from core.mail import send_in_language, send_pending_emails
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed: connections are refused


@pytest.fixture
def smtp_down():
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=closed_port(), EMAIL_TIMEOUT=2):
        yield


def pending() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(sent_at__isnull=True))


def retry_later(minutes: int = 2) -> int:
    return send_pending_emails(now=timezone.now() + timedelta(minutes=minutes))


def test_contact_form_answers_when_the_mail_server_refuses(client, smtp_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact"), {"subject": "other", "name": "Lucie", "email": "lucie@example.fr",
                                                    "message": "Bonjour"}, follow=True)
    assert response.status_code == 200
    assert "votre message est bien parti" in response.content.decode()
    [email] = pending()
    assert email.attempts == 1 and "Connection" in email.last_error and email.reply_to == ["lucie@example.fr"]


def test_signup_and_password_reset_answer_when_the_mail_server_refuses(client, owner, smtp_down):
    response = client.post(reverse("owner_signup"), {
        "email": "neo@example.fr", "password1": PASSWORD, "password2": PASSWORD, "first_name": "Néo",
        "last_name": "Martin", "account_type": "owner"})
    assert response.status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": owner.email})
    assert response.status_code == 302
    assert sorted(email.to[0] for email in pending()) == sorted(["neo@example.fr", owner.email])


def test_the_retry_job_sends_them_once_the_server_is_back(smtp_down):
    send_in_language(to="a@example.fr", language="fr", template="public/email/contact_staff",
                     build=lambda: ("Sujet", {"message": None}))
    [email] = pending()
    assert retry_later(minutes=0) == 0  # its delay has not passed: not tried again at once
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert retry_later() == 1
        assert retry_later() == 0  # sent once, never twice
    assert [message.to for message in mail.outbox] == [["a@example.fr"]]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2


def test_retries_back_off_then_stop_for_staff(smtp_down):
    send_in_language(to="a@example.fr", language="fr", template="public/email/contact_staff",
                     build=lambda: ("Sujet", {"message": None}))
    email = OutgoingEmail.objects.get()
    for day in range(1, 16):
        send_pending_emails(now=timezone.now() + timedelta(days=day))
    email.refresh_from_db()
    assert email.sent_at is None and email.next_attempt_at is None and email.attempts == 11


def test_a_subject_with_a_line_break_still_reaches_staff(client, django_capture_on_commit_callbacks, mailoutbox):
    # The name goes into the staff email's subject: CR/LF made Django refuse the email.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact"), {"subject": "other", "name": "Eve\r\nBcc: x@evil.example",
                                                    "email": "eve@example.fr", "message": "Bonjour"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.to != ["x@evil.example"] and "x@evil.example" not in message.bcc


def test_text_emails_and_subjects_are_not_html_escaped(client, owner, django_capture_on_commit_callbacks, mailoutbox):
    from domains.emails import send_owner_email

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contact"), {"subject": "other", "name": "Jeanne d'Arc", "email": "jeanne@example.fr",
                                         "message": "Une plume d'oie & <b>encre</b>"})
        send_owner_email(user=owner, template="approved", context={"offer_name": "Moulin d'Aval", "revision": None})
    contact, approved = mailoutbox
    assert "Une plume d'oie & <b>encre</b>" in contact.body and "&#x27;" not in contact.body
    assert "plume d&#x27;oie &amp; &lt;b&gt;" in contact.alternatives[0][0]  # the HTML part stays escaped
    assert "Moulin d'Aval" in approved.subject and "&#x27;" not in approved.subject + approved.body
