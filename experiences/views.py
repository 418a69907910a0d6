"""Owner dashboard: a domain's experiences and the experience wizard."""
from datetime import UTC, date, datetime

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import owner_required
from core.subqueries import count_of, min_of
from domains.models import Domain, RevisionStatus
from domains.offer_rows import CompiledPages, CompiledPaginator, first_pending_revision, offer_rows, own_domain
from domains.slugs import unique_slug
from domains.views import PAGE_SIZE, pending_flags_and_counts
from domains.wizard import SUBMIT, OfferWizard, Step, with_extra_row

from . import services
from .forms import (
    MAX_PERIODS,
    ExperienceConditionsForm,
    ExperienceDescriptionForm,
    ExperienceDurationForm,
    ExperiencePriceForm,
    period_formset,
)
from .models import Experience, Period, Session


@owner_required
def experience_list(request: HttpRequest, domain_pk: int) -> HttpResponse:
    domain = own_domain(domain_pk, request.user.pk)
    page = CompiledPaginator(_EXPERIENCES, PAGE_SIZE, domain.pk, timezone.localdate(), timezone.now(),
                             ContentType.objects.get_for_model(Experience).pk, RevisionStatus.PENDING.value,
                             ).get_page(request.GET.get("page"))
    pending_flags_and_counts(page.object_list)
    offer_rows(Experience, page)  # what the table shows (domains/offer_rows.py)
    return render(request, "experiences/experience_list.html", {"domain": domain, "page": page, "tab": "domains"})


# What the table shows, with SQL built once per process (domains/offer_rows.py): the periods
# still to come, the next bookable session, a pending revision.
_EXPERIENCES = CompiledPages(
    rows=lambda domain_id, today, now, content_type_id, pending: (
        Experience.objects.filter(domain_id=domain_id)
        .annotate(future_periods=count_of(Period.objects.filter(end_date__gte=today), link="experience"),
                  next_session=min_of(Session.objects.filter(start__gte=now, is_active=True), "start",
                                      link="experience"),
                  revision=first_pending_revision(content_type_id, pending))
        .order_by("title")
        .values_list("pk", "title", "category", "status", "revision", "future_periods", "next_session")),
    count=lambda domain_id, *_others: (Experience.objects.filter(domain_id=domain_id).order_by().values("domain_id")
                                       .annotate(n=Count("pk")).values_list("n")),
    sentinels=(-7_301_905, date(1901, 3, 5), datetime(1901, 3, 5, 7, 11, tzinfo=UTC), -7_301_906, "\x00pending"),
    constants=(0, True),
    columns=("pk", "title", "category", "status", "has_revision", "future_periods", "next_session"))


@owner_required
def experience_add(request: HttpRequest, domain_pk: int) -> HttpResponse:
    domain = get_object_or_404(Domain, pk=domain_pk, owner=request.user)
    form = ExperienceDescriptionForm(request.POST or None, instance=Experience(domain=domain))
    if request.method == "POST" and form.is_valid():
        experience = form.save(commit=False)
        experience.slug = unique_slug(Experience, experience.title)
        experience.price_per_person = experience.price_per_person or 0
        experience.wizard_step = "description"
        experience.save()
        messages.success(request, _("Expérience créée. Indiquez maintenant sa période de l'exercice."))
        return redirect(experience_wizard.step_url(experience, "periode"))
    return experience_wizard.creation_page(request, form=form, heading=_("Ajouter une expérience"),
                                     back_url=reverse("experience_list", args=[domain.pk]))


class ExperienceWizard(OfferWizard):
    preview_kind = "experience"
    model = Experience
    url_name = "experience_wizard"
    continue_url_name = "experience_continue"
    steps = [
        Step("description", gettext_lazy("Description"), "description"),
        Step("periode", gettext_lazy("Période de l'exercice"), "periods"),
        Step("prix", gettext_lazy("Prix et places"), "prices"),
        Step("conditions", gettext_lazy("Conditions"), "conditions"),
        Step("photos", gettext_lazy("Photos"), "photos_step"),
        Step(SUBMIT, gettext_lazy("Soumettre"), "submit_step"),
    ]

    def queryset(self, user) -> QuerySet:
        return Experience.objects.filter(domain__owner=user).select_related("domain")

    def back_url(self, offer) -> str:
        return reverse("experience_list", args=[offer.domain_id])

    def description(self, request, experience, step):
        return self.form_step(request, experience, step, ExperienceDescriptionForm)

    def periods(self, request, experience, step):
        """Periods apply at once, even when published: shortening them is how an owner
        suspends an experience (FAQ). Sessions follow; booked ones are kept."""
        today = timezone.localdate()
        data = request.POST if request.method == "POST" else None
        duration = self.offer_form(request, experience, ExperienceDurationForm)
        context = {"forms": [duration], "template": "experiences/wizard/periods.html"}
        if data is not None and ("add_row" in data or "add_slot" in data):
            if "add_row" in data:
                data = with_extra_row(data, "periods", maximum=MAX_PERIODS)
            duration.is_valid()
            return {**context, "formset": period_formset(experience, data=data, today=today,
                                                         add_slot_to=data.get("add_slot", ""))}
        formset = period_formset(experience, data=data, today=today)
        if data is not None and duration.is_valid() and formset.is_valid():
            with transaction.atomic():
                waits = self.save_offer_form(experience, duration)
                formset.save()
                sync = services.sync_sessions_if_published(experience=experience, today=today)
            if sync.kept:
                messages.warning(request, services.kept_sessions_message(sync))
            return self.advance(request, experience, step, waits_for_staff=waits)
        return {**context, "formset": formset}

    def prices(self, request, experience, step):
        return self.form_step(request, experience, step, ExperiencePriceForm)

    def conditions(self, request, experience, step):
        return self.form_step(request, experience, step, ExperienceConditionsForm)


experience_wizard = ExperienceWizard()
experience_wizard_view = experience_wizard.as_view()
experience_continue = experience_wizard.as_continue_view()
