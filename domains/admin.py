"""Staff work here: labels and proposals, domains, revisions and the moderation queue."""
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import admin_base as base

from .business_days import business_age
from .forms import ReasonForm
from .labels import answer_label_proposal
from .models import (
    Domain,
    DomainLabel,
    DomainPhoto,
    Label,
    LabelProposal,
    ModerationQueue,
    OfferStatus,
    Revision,
    RevisionStatus,
)
from .moderation import OfferError, approve_offer, approve_revision, reject_offer, reject_revision
from .offer_types import offer_name
from .queue import find_item, moderation_queue
from .signals import content_changed
from .wizard import revision_rows


def age_badge(since) -> str:
    age = business_age(since, now=timezone.now())
    if age is None:
        return "—"
    if age > settings.MODERATION_DELAY_BUSINESS_DAYS:
        # A class, not a style attribute: the Content-Security-Policy refuses inline styles.
        return format_html('<strong class="overdue-age">{} {}</strong>', age, _("j. ouvrés — en retard"))
    return format_html("{} {}", age, _("j. ouvrés"))


def ask_reason(modeladmin, request: HttpRequest, queryset: QuerySet, *, action: str, decide) -> TemplateResponse | None:
    """Intermediate page of a reject action: the reason is required and sent to the owner."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        for item in queryset:
            try:
                decide(item, form.cleaned_data["reason"])
            except OfferError as error:
                modeladmin.message_user(request, f"{item}: {error.message}", messages.ERROR)
            else:
                modeladmin.log_change(request, item, f"Refusé : {form.cleaned_data['reason']}")
                modeladmin.message_user(request, _("Refusé : %(item)s (le propriétaire est prévenu).") % {"item": item})
        return None
    return TemplateResponse(request, "admin/domains/reject.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Motif du refus"), "items": queryset,
        "form": form, "action": action, "opts": modeladmin.model._meta,
    })


class OfferModerationAdmin(base.ModelAdmin):
    """Approve / reject actions shared by domains, lodgings and experiences."""

    actions = ["approve_selected", "reject_selected"]

    class Media:
        css = {"all": ["css/admin-moderation.css"]}

    @admin.display(description=_("attente"), ordering="submitted_at")
    def waiting(self, offer):
        return age_badge(offer.submitted_at) if offer.status == OfferStatus.SUBMITTED else "—"

    @admin.action(description=_("Valider et publier les offres sélectionnées"))
    def approve_selected(self, request, queryset):
        for offer in queryset:
            try:
                approve_offer(offer=offer, by=request.user, now=timezone.now())
            except OfferError as error:
                self.message_user(request, f"{offer}: {error.message}", messages.ERROR)
            else:
                self.log_change(request, offer, "Validé et publié")
                self.message_user(request, _("Publié : %(item)s (le propriétaire est prévenu).") % {"item": offer})

    @admin.action(description=_("Refuser avec un motif…"))
    def reject_selected(self, request, queryset):
        return ask_reason(self, request, queryset, action="reject_selected", decide=lambda offer, reason: reject_offer(
            offer=offer, by=request.user, reason=reason, now=timezone.now()))


class DomainLabelInline(base.TabularInline):
    model = DomainLabel
    extra = 0
    autocomplete_fields = ["label"]
    fields = ["label", "reference", "verified"]


class DomainPhotoInline(base.TabularInline):
    model = DomainPhoto
    extra = 0
    fields = ["preview", "caption", "caption_en", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("aperçu"))
    def preview(self, photo):
        return format_html('<img src="{}" width="120" alt="">', photo.thumb.url) if photo.thumb else "—"


@admin.register(Domain)
class DomainAdmin(OfferModerationAdmin):
    list_display = ["name", "owner", "status", "waiting", "region", "commune", "monument_protection",
                    "monument_verified"]
    list_filter = ["status", "region", "heritage_kind", "monument_protection", "monument_verified"]
    search_fields = ["name", "commune", "owner__email", "owner__last_name", "merimee_reference"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["submitted_at", "reviewed_at", "published_at", "created_at", "updated_at", "wizard_step",
                       "merimee_link"]
    inlines = [DomainLabelInline, DomainPhotoInline]
    fieldsets = [
        (None, {"fields": ["owner", "name", "slug", "heritage_kind", "period", "history", "history_en"]}),
        (_("Adresse"), {"fields": ["address_line", "postal_code", "commune", "departement", "region",
                                   "latitude", "longitude"]}),
        (_("Protection (à vérifier)"), {"fields": ["monument_protection", "merimee_reference", "merimee_link",
                                                   "monument_verified"]}),
        (_("Modération"), {"fields": ["status", "rejection_reason", "submitted_at", "reviewed_at", "published_at",
                                      "wizard_step", "created_at", "updated_at"]}),
    ]


    actions = [*OfferModerationAdmin.actions, "verify_credentials"]

    @admin.action(description=_("Marquer la protection et les labels comme vérifiés"))
    def verify_credentials(self, request, queryset):
        """After checking the Mérimée record and the networks' member lists: badges then show publicly."""
        for domain in queryset:
            self.log_change(request, domain, "Protection et labels vérifiés")
            content_changed.send(sender=type(domain), domain_id=domain.pk)  # the badges: an UPDATE below
        verified = queryset.exclude(monument_protection="").update(monument_verified=True)
        labels = DomainLabel.objects.filter(domain__in=queryset).update(verified=True)
        self.message_user(request, _("%(monuments)s protection(s) et %(labels)s label(s) vérifiés.")
                          % {"monuments": verified, "labels": labels})

    @admin.display(description=_("notice Mérimée"))
    def merimee_link(self, domain):
        if not domain.merimee_reference:
            return "—"
        url = f"https://pop.culture.gouv.fr/notice/merimee/{domain.merimee_reference}"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Vérifier sur la base POP"))


@admin.register(Label)
class LabelAdmin(base.ModelAdmin):
    list_display = ["name", "kind", "website", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LabelProposal)
class LabelProposalAdmin(base.ModelAdmin):
    list_display = ["name", "owner", "website", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "name", "website", "reason", "status", "label", "created_at", "decided_at"]
    fields = ["owner", "name", "website", "reason", "status", "staff_answer", "label", "created_at", "decided_at"]
    actions = ["accept_selected", "refuse_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # owners propose labels from their wizard; staff answer here

    def _answer(self, request, queryset, *, accept: bool):
        for proposal in queryset:
            try:
                answer_label_proposal(proposal=proposal, accept=accept, answer=proposal.staff_answer,
                                      now=timezone.now())
            except OfferError as error:
                self.message_user(request, f"{proposal}: {error.message}", messages.ERROR)
            else:
                self.log_change(request, proposal, "Accepté" if accept else "Refusé")
                self.message_user(request, _("Réponse envoyée : %(item)s.") % {"item": proposal})

    @admin.action(description=_("Accepter (crée le label) et prévenir le propriétaire"))
    def accept_selected(self, request, queryset):
        self._answer(request, queryset, accept=True)

    @admin.action(description=_("Refuser et prévenir le propriétaire"))
    def refuse_selected(self, request, queryset):
        self._answer(request, queryset, accept=False)


@admin.register(Revision)
class RevisionAdmin(base.ModelAdmin):
    class Media:
        css = {"all": ["css/admin-moderation.css"]}

    list_display = ["__str__", "content_type", "offer_link", "status", "submitted", "waiting"]
    list_filter = ["status", "content_type"]
    list_select_related = ["content_type"]
    # Decisions go through the actions or the queue's buttons (services, emails), never a bare save.
    readonly_fields = ["offer_link", "status", "submitted_at", "reviewed_at", "comparison", "rejection_reason"]
    fields = ["offer_link", "status", "submitted_at", "reviewed_at", "comparison", "rejection_reason"]
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("offer")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("offre"))
    def offer_link(self, revision):
        offer = revision.offer
        if offer is None:
            return "—"
        url = reverse(f"admin:{offer._meta.app_label}_{offer._meta.model_name}_change", args=[offer.pk])
        return format_html('<a href="{}">{}</a>', url, offer_name(offer))

    @admin.display(description=_("soumise"), boolean=True)
    def submitted(self, revision):
        return revision.submitted_at is not None

    @admin.display(description=_("attente"), ordering="submitted_at")
    def waiting(self, revision):
        pending = revision.status == RevisionStatus.PENDING and revision.submitted_at
        return age_badge(revision.submitted_at) if pending else "—"

    @admin.display(description=_("modifications : en ligne / proposé"))
    def comparison(self, revision):
        if revision.offer is None:
            return "—"
        rows = format_html_join("", '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                                ((row["label"], row["current"], row["proposed"]) for row in revision_rows(revision)))
        return format_html('<table class="revision-diff"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
                           "<tbody>{}</tbody></table>", _("Champ"), _("En ligne"), _("Proposé"), rows)

    @admin.action(description=_("Valider les modifications sélectionnées"))
    def approve_selected(self, request, queryset):
        for revision in queryset:
            try:
                approve_revision(revision=revision, by=request.user, now=timezone.now())
            except OfferError as error:
                self.message_user(request, f"{revision}: {error.message}", messages.ERROR)
            else:
                self.log_change(request, revision, "Modifications validées")
                self.message_user(request, _("Modifications publiées : %(item)s.") % {"item": revision})

    @admin.action(description=_("Refuser avec un motif…"))
    def reject_selected(self, request, queryset):
        return ask_reason(self, request, queryset, action="reject_selected",
                          decide=lambda revision, reason: reject_revision(revision=revision, by=request.user,
                                                                          reason=reason, now=timezone.now()))


@admin.register(ModerationQueue)
class ModerationQueueAdmin(base.ModelAdmin):
    """Everything waiting for staff, oldest first, across offer types and revisions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The queue decides on offers: the moderation group's right, not any staff member's.
        return request.user.has_perm("domains.change_domain")

    def get_urls(self):
        return [path("decider/", self.staff_view(self.decide), name="domains_moderationqueue_decide"),
                *super().get_urls()]

    def decide(self, request):
        """The queue's own Valider / Refuser buttons: the same services as the actions."""
        item = find_item(request.POST.get("item", "")) if request.method == "POST" else None
        if item is None:
            self.message_user(request, _("Élément introuvable."), messages.ERROR)
            return redirect("admin:domains_moderationqueue_changelist")
        now, reason = timezone.now(), request.POST.get("reason", "")
        try:
            if isinstance(item, Revision):
                if request.POST.get("decision") == "approve":
                    approve_revision(revision=item, by=request.user, now=now)
                else:
                    reject_revision(revision=item, by=request.user, reason=reason, now=now)
            elif request.POST.get("decision") == "approve":
                approve_offer(offer=item, by=request.user, now=now)
            else:
                reject_offer(offer=item, by=request.user, reason=reason, now=now)
        except OfferError as error:
            self.message_user(request, f"{item}: {error.message}", messages.ERROR)
        else:
            approved = request.POST.get("decision") == "approve"
            self.log_change(request, item, "Validé (file de modération)" if approved
                            else f"Refusé (file de modération) : {reason}")
            self.message_user(request, _("Décision enregistrée : %(item)s (le propriétaire est prévenu).")
                              % {"item": item})
        return redirect("admin:domains_moderationqueue_changelist")

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        rows = moderation_queue(now=now)
        return TemplateResponse(request, "admin/domains/moderation_queue.html", {
            **self.admin_site.each_context(request), "title": _("File de modération"), "rows": rows,
            "opts": self.model._meta, "delay": settings.MODERATION_DELAY_BUSINESS_DAYS,
        })
