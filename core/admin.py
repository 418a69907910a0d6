from django.contrib import admin

from . import admin_base as base
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(base.ModelAdmin):
    """Emails the mail server refused stay here with their last error (core/mail.py)."""

    list_display = ("subject", "created_at", "sent_at", "attempts", "next_attempt_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("subject",)
    readonly_fields = ("subject", "from_email", "to", "reply_to", "text", "html", "created_at", "sent_at",
                       "attempts", "last_error")
    fields = (*readonly_fields, "next_attempt_at")

    def has_add_permission(self, request) -> bool:
        return False  # queued by core.mail when the mail server refuses; staff only retry or read
