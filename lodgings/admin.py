from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_base as base
from domains.admin import OfferModerationAdmin

from .models import Amenity, Lodging, LodgingPhoto, Suspension, Unit
from .services import refresh_search_columns


class UnitInline(base.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "position", "adults_capacity", "children_capacity", "beds", "nightly_price", "is_active",
              "is_listed"]
    readonly_fields = ["is_listed"]


class LodgingPhotoInline(base.TabularInline):
    model = LodgingPhoto
    extra = 0
    fields = ["preview", "caption", "caption_en", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("aperçu"))
    def preview(self, photo):
        return format_html('<img src="{}" width="120" alt="">', photo.thumb.url) if photo.thumb else "—"


class SuspensionInline(base.TabularInline):
    model = Suspension
    extra = 0
    fields = ["start", "end", "reason"]


@admin.register(Lodging)
class LodgingAdmin(OfferModerationAdmin):
    list_display = ["title", "domain", "owner", "kind", "status", "waiting", "booking_mode"]
    list_filter = ["status", "kind", "booking_mode", "domain__region", "tax_classification", "host_is_professional"]
    search_fields = ["title", "domain__name", "domain__owner__email"]
    list_select_related = ["domain", "domain__owner"]
    autocomplete_fields = ["domain"]
    filter_horizontal = ["amenities"]
    readonly_fields = ["submitted_at", "reviewed_at", "published_at", "created_at", "updated_at", "wizard_step"]
    inlines = [UnitInline, LodgingPhotoInline, SuspensionInline]

    @admin.display(description=_("propriétaire"), ordering="domain__owner__email")
    def owner(self, lodging):
        return lodging.domain.owner

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_columns(lodging=form.instance)


@admin.register(Unit)
class UnitAdmin(base.ModelAdmin):
    list_display = ["name", "lodging", "nightly_price", "adults_capacity", "children_capacity", "is_active",
                    "is_listed", "region"]
    list_filter = ["is_active", "is_listed", "region"]
    search_fields = ["name", "lodging__title", "lodging__domain__name"]
    list_select_related = ["lodging", "lodging__domain"]
    readonly_fields = ["is_listed", "region", "max_guests"]


@admin.register(Suspension)
class SuspensionAdmin(base.ModelAdmin):
    list_display = ["lodging", "start", "end", "reason"]
    list_filter = ["start"]
    search_fields = ["lodging__title"]
    list_select_related = ["lodging"]
    date_hierarchy = "start"


@admin.register(Amenity)
class AmenityAdmin(base.ModelAdmin):
    list_display = ["name", "name_en", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
