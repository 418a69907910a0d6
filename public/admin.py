from django.contrib import admin

from core import admin_base as base

from .models import ContactMessage, Page


@admin.register(Page)
class PageAdmin(base.ModelAdmin):
    list_display = ["title_fr", "slug", "in_footer", "position", "updated_at"]
    list_editable = ["in_footer", "position"]
    search_fields = ["title_fr", "title_en", "body_fr"]
    fieldsets = [
        (None, {"fields": ["slug", "in_footer", "position"]}),
        ("Français", {"fields": ["title_fr", "meta_description_fr", "body_fr"]}),
        ("English", {"fields": ["title_en", "meta_description_en", "body_en"]}),
    ]


@admin.register(ContactMessage)
class ContactMessageAdmin(base.ModelAdmin):
    list_display = ["created_at", "subject", "name", "email", "routed_to", "handled"]
    list_filter = ["subject", "handled"]
    list_editable = ["handled"]
    search_fields = ["name", "email", "message", "booking_reference"]
    readonly_fields = ["subject", "name", "email", "booking_reference", "message", "user", "routed_to",
                       "language", "created_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False
