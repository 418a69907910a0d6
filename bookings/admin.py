from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import admin_base as base
from core.money import format_eur

from . import services
from .models import Booking, BookingEvent, ExternalBlock


class BookingEventInline(base.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(base.ModelAdmin):
    """Read-mostly: statuses change only through bookings.services (the state machine)."""

    list_display = ["reference", "kind", "status", "traveller", "owner", "arrival", "departure", "total_price",
                    "amount_paid", "refunded_amount", "created_at"]
    list_filter = ["status", "kind", "cancelled_by"]
    search_fields = ["reference", "traveller__email", "owner__email", "traveller__last_name"]
    list_select_related = ["traveller", "owner"]
    date_hierarchy = "arrival"
    inlines = [BookingEventInline]
    readonly_fields = [field.name for field in Booking._meta.fields]
    actions = ["cancel_with_full_refund"]

    @admin.action(description=_("Annuler (remboursement intégral, décision de l'équipe)"))
    def cancel_with_full_refund(self, request, queryset) -> None:
        """Staff cancel through the same service as everyone: 100 % refunded, recorded as staff."""
        for booking in queryset:
            try:
                refund = services.cancel(booking=booking, by=request.user, now=timezone.now())
            except services.BookingError as error:
                self.message_user(request, f"{booking.reference} : {error.message}", messages.WARNING)
            else:
                self.log_change(request, booking, f"Annulée par l'équipe, remboursement de {format_eur(refund)}")
                self.message_user(request, _("%(ref)s annulée, remboursement de %(amount)s.")
                                  % {"ref": booking.reference, "amount": format_eur(refund)})

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ExternalBlock)
class ExternalBlockAdmin(base.ModelAdmin):
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
