from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "owner", "kind", "format", "status", "progress", "row_count", "finished_at")
    list_filter = ("status", "kind", "format")
    search_fields = ("owner__email",)
    readonly_fields = [field.name for field in ExportJob._meta.fields]
