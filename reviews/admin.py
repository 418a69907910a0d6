"""Staff: the complaint queue ("Réclamations avis": open first, decide keep / hide with a
reason), reviews with their history (who decided what, when), hide or show one directly."""
from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import admin_base as base

from . import services
from .models import ComplaintStatus, Review, ReviewComplaint, ReviewEvent, ReviewStatus


class ReviewEventInline(base.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["created_at", "action", "actor", "reason"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the history is written by the services only


class StaffDecisionForm(forms.ModelForm):
    """Every field of the row is read-only; staff only choose and explain (services decide)."""

    decision = forms.ChoiceField(label=_("Décision"), required=False, widget=forms.RadioSelect)
    decision_text = forms.CharField(label=_("Motif (envoyé au propriétaire et au voyageur)"), required=False,
                                    max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    choices: list = []

    class Meta:
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", _("Pas de décision maintenant")), *self.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and not " ".join(cleaned.get("decision_text", "").split()):
            self.add_error("decision_text", _("Indiquez le motif de la décision : il est envoyé au propriétaire et "
                                              "au voyageur."))
        return cleaned


class ComplaintDecisionForm(StaffDecisionForm):
    choices = [("keep", _("Maintenir l'avis")), ("hide", _("Masquer l'avis"))]

    class Meta:
        model = ReviewComplaint
        fields: list = []


class ReviewVisibilityForm(StaffDecisionForm):
    choices = [("hide", _("Masquer l'avis")), ("show", _("Publier l'avis à nouveau"))]

    class Meta:
        model = Review
        fields: list = []


@admin.register(ReviewComplaint)
class ReviewComplaintAdmin(base.ModelAdmin):
    form = ComplaintDecisionForm
    list_display = ["review", "reason", "status", "filed_by", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "reason"]
    search_fields = ["review__booking__reference", "filed_by__email"]
    readonly_fields = ["review_link", "review_text", "reason", "explanation", "filed_by", "created_at", "status",
                       "decision_reason", "decided_by", "decided_at"]

    def get_queryset(self, request):
        # The queue: open complaints first, oldest first.
        return super().get_queryset(request).select_related("review__booking", "filed_by", "decided_by").annotate(
            open_first=Case(When(status=ComplaintStatus.OPEN, then=Value(0)), default=Value(1),
                            output_field=IntegerField())).order_by("open_first", "created_at", "id")

    def get_fields(self, request, obj=None):
        decision = ["decision", "decision_text"] if obj is not None and obj.status == ComplaintStatus.OPEN else []
        return [*self.readonly_fields, *decision]

    @admin.display(description=_("avis"))
    def review_link(self, complaint):
        review = complaint.review
        return format_html('<a href="{}">{}</a> · {}/5', reverse("admin:reviews_review_change", args=[review.pk]),
                           review.booking.reference, review.rating)

    @admin.display(description=_("texte de l'avis"))
    def review_text(self, complaint):
        return complaint.review.text

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            services.decide_complaint(complaint=obj, by=request.user, hide=decision == "hide",
                                      reason=form.cleaned_data["decision_text"], now=timezone.now())
        except services.ReviewError as error:
            messages.error(request, error.message)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(base.ModelAdmin):
    form = ReviewVisibilityForm
    list_display = ["booking", "rating", "status", "author", "owner", "created_at", "replied_at"]
    list_filter = ["status", "rating"]
    search_fields = ["booking__reference", "author__email", "owner__email", "text"]
    readonly_fields = ["booking", "author", "owner", "domain", "lodging", "experience", "rating", "cleanliness",
                       "welcome", "heritage", "value", "text", "created_at", "edited_at", "reply", "replied_at",
                       "status", "hidden_reason"]
    inlines = [ReviewEventInline]
    list_select_related = ["booking", "author", "owner"]

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields, "decision", "decision_text"]

    def save_model(self, request, obj, form, change):
        decision, reason, now = form.cleaned_data.get("decision"), form.cleaned_data.get("decision_text", ""), \
            timezone.now()
        try:
            if decision == "hide":
                services.hide_review(review=obj, by=request.user, reason=reason, now=now)
            elif decision == "show" and obj.status == ReviewStatus.HIDDEN:
                services.show_review(review=obj, by=request.user, reason=reason, now=now)
        except services.ReviewError as error:
            messages.error(request, error.message)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
