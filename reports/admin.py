"""Staff: the report queue ("Signalements voyageurs": new first, then in review, oldest
first), each report with its photos (served by a permission-checked view, never a public
media URL), internal notes (author, time) and its history; take it in hand, close it with a
decision the owner receives by email. The users' and bookings' lists show who is reported."""
from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, OuterRef, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin as AccountsUserAdmin
from accounts.models import User
from bookings.admin import BookingAdmin as BookingsBookingAdmin
from bookings.models import Booking
from core import admin_base as base

from . import services
from .models import TEXT_MAX, ReportDecision, ReportEvent, ReportNote, ReportPhoto, ReportStatus, TravellerReport


class ReadOnlyInline(base.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # written by the services only


class ReportNoteInline(ReadOnlyInline):
    model = ReportNote
    fields = readonly_fields = ["created_at", "author", "text"]
    verbose_name_plural = _("notes internes (l'équipe seule les lit)")


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    fields = readonly_fields = ["created_at", "from_status", "to_status", "actor"]


class ReportStaffForm(forms.ModelForm):
    """The report's fields are read-only; staff add a note and/or move the report on."""

    STEP_CHOICES = [("", _("Pas de changement d'état")), ("start", _("Prendre en charge (en cours d'examen)")),
                    ("close", _("Clore avec une décision"))]
    note = forms.CharField(label=_("Nouvelle note interne"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Visible de l'équipe seule, avec votre nom et l'heure."))
    step = forms.ChoiceField(label=_("État"), required=False, choices=STEP_CHOICES, widget=forms.RadioSelect)
    new_decision = forms.ChoiceField(label=_("Décision"), required=False, widget=forms.RadioSelect,
                                     choices=ReportDecision.choices)
    new_decision_text = forms.CharField(label=_("Décision motivée (envoyée au propriétaire par e-mail)"),
                                        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = TravellerReport
        fields: list = []

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("step") == "close":
            if not cleaned.get("new_decision"):
                self.add_error("new_decision", _("Choisissez la décision : signalement retenu ou non retenu."))
            if not " ".join(cleaned.get("new_decision_text", "").split()):
                self.add_error("new_decision_text", _("Rédigez la décision : elle est envoyée au propriétaire."))
        return cleaned


@admin.register(TravellerReport)
class TravellerReportAdmin(base.ModelAdmin):
    form = ReportStaffForm
    list_display = ["booking", "category", "status", "decision", "owner", "traveller", "created_at", "decided_at"]
    list_filter = ["status", "category", "decision"]
    search_fields = ["booking__reference", "owner__email", "traveller__email", "traveller__last_name"]
    list_select_related = ["booking", "owner", "traveller"]
    readonly_fields = ["booking_link", "owner", "traveller_link", "category", "description", "photo_gallery",
                       "created_at", "status", "decision", "decision_text", "decided_by", "decided_at"]
    inlines = [ReportNoteInline, ReportEventInline]

    def get_queryset(self, request):
        # The queue: new first, then in review, then closed; oldest first within each.
        return super().get_queryset(request).annotate(queue=Case(
            When(status=ReportStatus.NEW, then=Value(0)), When(status=ReportStatus.IN_REVIEW, then=Value(1)),
            default=Value(2), output_field=IntegerField())).order_by("queue", "created_at", "id")

    def get_fields(self, request, obj=None):
        if obj is None or not self.has_change_permission(request, obj):
            return self.readonly_fields
        steps = ["step", "new_decision", "new_decision_text"] if obj.is_open else []
        return [*self.readonly_fields, "note", *steps]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.status == ReportStatus.IN_REVIEW:
            form.base_fields["step"].choices = [c for c in ReportStaffForm.STEP_CHOICES if c[0] != "start"]
        return form

    @admin.display(description=_("réservation"))
    def booking_link(self, report):
        booking = report.booking
        return format_html('<a href="{}">{}</a> · {}', reverse("admin:bookings_booking_change", args=[booking.pk]),
                           booking.reference, booking.title)

    @admin.display(description=_("voyageur"))
    def traveller_link(self, report):
        traveller = report.traveller
        others = TravellerReport.objects.filter(traveller=traveller).exclude(pk=report.pk).count()
        url = reverse("admin:reports_travellerreport_changelist") + f"?traveller__id__exact={traveller.pk}"
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("admin:accounts_user_change", args=[traveller.pk]), traveller.email, url,
                           _("%(n)s autre(s) signalement(s)") % {"n": others})

    @admin.display(description=_("photos"))
    def photo_gallery(self, report):
        photos = list(report.photos.all())
        if not photos:
            return "—"
        return format_html_join(" ", '<a href="{0}" target="_blank" rel="noopener"><img src="{0}" alt="{1}" '
                                'width="160" loading="lazy"></a>',
                                ((self.photo_url(photo), str(photo)) for photo in photos))

    @staticmethod
    def photo_url(photo: ReportPhoto) -> str:
        return reverse("admin:reports_travellerreport_photo", args=[photo.report_id, photo.pk])

    def get_urls(self):
        return [path("<int:report_id>/photos/<int:photo_id>/", self.staff_view(self.photo_view),
                     name="reports_travellerreport_photo"), *super().get_urls()]

    def photo_view(self, request, report_id: int, photo_id: int):
        """A report's photo, for staff with the report's view permission (staff_view); the
        files live in the private storage, which no web server serves."""
        photo = get_object_or_404(ReportPhoto, pk=photo_id, report_id=report_id)
        try:
            with photo.image.open("rb") as handle:  # re-encoded, 1600 px at most: a few hundred KB
                data = handle.read()
        except FileNotFoundError:
            raise Http404 from None
        response = HttpResponse(data, content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request, obj, form, change):
        data, now = form.cleaned_data, timezone.now()
        try:
            if data.get("note", "").strip():
                services.add_note(report=obj, by=request.user, text=data["note"], now=now)
            if data.get("step") == "start":
                services.start_review(report=obj, by=request.user, now=now)
            elif data.get("step") == "close":
                services.close_report(report=obj, by=request.user, decision=data["new_decision"],
                                      text=data["new_decision_text"], now=now)
        except services.ReportError as error:
            messages.error(request, error.message)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- "Signalé à l'équipe" in the users' and bookings' lists (staff only) -----------------------

class ReportedFilter(admin.SimpleListFilter):
    title = _("signalé à l'équipe")
    parameter_name = "signale"

    def lookups(self, request, model_admin):
        return [("1", _("Oui")), ("0", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(reported=self.value() == "1")
        return queryset


class ReportedColumn:
    """A traveller with an open or upheld report: one EXISTS subquery in the list's own query."""

    traveller_ref = "pk"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(reported=services.traveller_flagged(OuterRef(
            self.traveller_ref)))

    def get_list_display(self, request):
        return [*super().get_list_display(request), "reported"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReportedFilter]

    @admin.display(boolean=True, description=_("signalé"), ordering="reported")
    def reported(self, obj) -> bool:
        return obj.reported


class UserAdmin(ReportedColumn, AccountsUserAdmin):
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Signalements"), {"fields": ["reports_about"]})]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "reports_about")

    @admin.display(description=_("signalements reçus (ouverts ou retenus / total)"))
    def reports_about(self, user):
        reports = TravellerReport.objects.filter(traveller=user)
        flagged, total = reports.filter(services.flagging()).count(), reports.count()
        url = reverse("admin:reports_travellerreport_changelist") + f"?traveller__id__exact={user.pk}"
        return format_html('<a href="{}">{} / {}</a>', url, flagged, total)


class BookingAdmin(ReportedColumn, BookingsBookingAdmin):
    traveller_ref = "traveller_id"


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
admin.site.unregister(Booking)
admin.site.register(Booking, BookingAdmin)
