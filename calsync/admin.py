"""Staff: feed health (stale and failing feeds first) and the double-booking queue."""
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import admin_base as base

from .models import DoubleBookingAlert, Feed, UnitCalendar
from .sync import sync_feed


class FailingFilter(admin.SimpleListFilter):
    title = _("santé")
    parameter_name = "sante"

    def lookups(self, request, model_admin):
        return [("stale", _("En panne")), ("failing", _("En échec")), ("ok", _("À jour"))]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(is_stale=True)
        if self.value() == "failing":
            return queryset.filter(consecutive_failures__gt=0)
        if self.value() == "ok":
            return queryset.filter(consecutive_failures=0, last_success_at__isnull=False)
        return queryset


@admin.register(Feed)
class FeedAdmin(base.ModelAdmin):
    list_display = ["display_name", "unit", "owner", "platform", "is_stale", "consecutive_failures",
                    "last_status", "short_error", "last_success_at", "last_attempt_at", "last_nights_blocked",
                    "next_run_at"]
    list_filter = [FailingFilter, "is_stale", "platform"]
    search_fields = ["url", "name", "unit__name", "unit__lodging__title", "unit__lodging__domain__owner__email"]
    list_select_related = ["unit__lodging__domain__owner"]
    ordering = ["-is_stale", "-consecutive_failures", "pk"]
    raw_id_fields = ["unit"]
    readonly_fields = ["etag", "last_modified", "last_attempt_at", "last_success_at", "last_error", "last_status",
                       "last_warnings", "consecutive_failures", "stale_notified_at", "empty_fetches",
                       "last_events_read", "last_nights_blocked", "sync_started_at", "created_at"]
    actions = ["sync_now"]

    @admin.display(description=_("propriétaire"))
    def owner(self, feed: Feed):
        return feed.unit.lodging.domain.owner

    @admin.display(description=_("dernière erreur"))
    def short_error(self, feed: Feed) -> str:
        return feed.last_error[:80]

    @admin.action(description=_("Synchroniser maintenant"))
    def sync_now(self, request, queryset):
        for feed in queryset.select_related("unit")[:50]:
            outcome = sync_feed(feed=feed, now=timezone.now(), conditional=False)
            self.log_change(request, feed, "Synchronisé à la demande")
            level = messages.ERROR if outcome.error else messages.SUCCESS
            self.message_user(request, f"{feed}: {outcome.error or outcome.nights_blocked}", level)


class OpenFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("open", _("À traiter")), ("resolved", _("Traitées"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(DoubleBookingAlert)
class DoubleBookingAlertAdmin(base.ModelAdmin):
    list_display = ["booking", "unit", "source_name", "block_start", "block_end", "detected_at", "notified_at",
                    "resolved_at"]
    list_filter = [OpenFilter, "detected_at"]
    list_select_related = ["booking", "unit__lodging"]
    search_fields = ["booking__reference", "unit__name", "source_name"]
    raw_id_fields = ["booking", "unit", "feed"]
    ordering = ["resolved_at", "detected_at"]
    actions = ["mark_resolved"]

    @admin.action(description=_("Marquer comme traitées"))
    def mark_resolved(self, request, queryset):
        for alert in queryset.filter(resolved_at__isnull=True):
            self.log_change(request, alert, "Marquée comme traitée")
        count = queryset.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        self.message_user(request, f"{count}")


@admin.register(UnitCalendar)
class UnitCalendarAdmin(base.ModelAdmin):
    list_display = ["unit", "created_at", "regenerated_at"]
    raw_id_fields = ["unit"]
    exclude = ["token"]  # the secret stays secret, even for staff
