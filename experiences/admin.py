from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_base as base
from domains.admin import OfferModerationAdmin

from .models import Experience, ExperiencePhoto, Period, Session


class PeriodInline(base.TabularInline):
    model = Period
    extra = 0
    fields = ["start_date", "end_date", "weekdays", "start_times"]


class ExperiencePhotoInline(base.TabularInline):
    model = ExperiencePhoto
    extra = 0
    fields = ["preview", "caption", "caption_en", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("aperçu"))
    def preview(self, photo):
        return format_html('<img src="{}" width="120" alt="">', photo.thumb.url) if photo.thumb else "—"


@admin.register(Experience)
class ExperienceAdmin(OfferModerationAdmin):
    list_display = ["title", "domain", "owner", "category", "status", "waiting", "price_per_person", "capacity"]
    list_filter = ["status", "category", "booking_mode", "domain__region"]
    search_fields = ["title", "domain__name", "domain__owner__email"]
    list_select_related = ["domain", "domain__owner"]
    autocomplete_fields = ["domain"]
    readonly_fields = ["submitted_at", "reviewed_at", "published_at", "created_at", "updated_at", "wizard_step"]
    inlines = [PeriodInline, ExperiencePhotoInline]

    @admin.display(description=_("propriétaire"), ordering="domain__owner__email")
    def owner(self, experience):
        return experience.domain.owner


@admin.register(Session)
class SessionAdmin(base.ModelAdmin):
    list_display = ["experience", "start", "end", "capacity", "places_taken", "is_active"]
    list_filter = ["is_active", "start"]
    search_fields = ["experience__title", "experience__domain__name"]
    list_select_related = ["experience"]
    date_hierarchy = "start"
    raw_id_fields = ["experience", "period"]
