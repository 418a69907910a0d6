from django.contrib import admin

from .models import Booking, BookingEvent, ExternalBlock


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-mostly: statuses change only through bookings.services (the state machine)."""

    list_display = ["reference", "kind", "status", "traveller", "owner", "arrival", "departure", "total_price",
                    "amount_paid", "refunded_amount", "created_at"]
    list_filter = ["status", "kind", "cancelled_by"]
    search_fields = ["reference", "traveller__email", "owner__email", "traveller__last_name"]
    list_select_related = ["traveller", "owner"]
    date_hierarchy = "arrival"
    inlines = [BookingEventInline]
    readonly_fields = [field.name for field in Booking._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ExternalBlock)
class ExternalBlockAdmin(admin.ModelAdmin):
    """Written by calsync from the owners' feeds; shown here for support only."""

    list_display = ["unit", "start", "end", "source_name", "summary", "tentative", "created_at"]
    list_filter = ["source_name", "tentative"]
    search_fields = ["unit__name", "unit__lodging__title", "uid", "summary"]
    list_select_related = ["unit__lodging"]
    readonly_fields = [field.name for field in ExternalBlock._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
