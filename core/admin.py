from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Emails the mail server refused stay here with their last error (core/mail.py)."""

    list_display = ("subject", "created_at", "sent_at", "attempts", "next_attempt_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("subject",)
    readonly_fields = ("subject", "from_email", "to", "reply_to", "text", "html", "created_at", "sent_at",
                       "attempts", "last_error")
    fields = (*readonly_fields, "next_attempt_at")
