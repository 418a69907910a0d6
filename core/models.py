from django.db import models


class OutgoingEmail(models.Model):
    """An email waiting to leave, or sent. Every email of the platform is stored here first
    (core/mail.py), so a mail server that is down or refuses never turns a page into a 500:
    the page answers, and `send_pending_emails` (a periodic job) retries with a growing delay."""

    subject = models.CharField(max_length=998)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    reply_to = models.JSONField(default=list, blank=True)
    text = models.TextField()
    html = models.TextField(blank=True)
    # [filename, base64 content, mimetype]: statements and invoices travel with the monthly email.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "e-mail sortant"
        verbose_name_plural = "e-mails sortants"

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
