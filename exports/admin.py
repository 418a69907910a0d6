from django.contrib import admin

from core import admin_base as base

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(base.ModelAdmin):
    list_display = ("created_at", "owner", "kind", "format", "status", "progress", "row_count", "finished_at")
    list_filter = ("status", "kind", "format")
    search_fields = ("owner__email",)
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # an export is asked for by its owner (exports.services), never made by hand
