from django.contrib import admin

from core import admin_base as base

from .models import DataExport


@admin.register(DataExport)
class DataExportAdmin(base.ModelAdmin):
    """Staff see that an export was asked and how it went, never its content (no file link)."""

    list_display = ("created_at", "user", "status", "progress", "size", "finished_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("user__email",)
    exclude = ("file",)
    readonly_fields = [field.name for field in DataExport._meta.fields if field.name != "file"]

    def has_add_permission(self, request) -> bool:
        return False  # asked by the person only (privacy.services.request_export)

    def has_change_permission(self, request, obj=None) -> bool:
        return False
