"""Owner dashboard: a domain's lodgings, the lodging wizard, visibility suspensions."""
from collections import defaultdict

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import owner_required
from domains.models import Domain, RevisionStatus
from domains.offer_rows import (
    CompiledPages,
    CompiledPaginator,
    OfferRow,
    first_pending_revision,
    offer_rows,
    own_domain,
)
from domains.signals import content_changed
from domains.views import PAGE_SIZE, pending_flags_and_counts
from domains.wizard import SUBMIT, OfferWizard, Step, with_extra_row

from . import services
from .forms import (
    LodgingAmenitiesForm,
    LodgingCreateForm,
    LodgingDescriptionForm,
    LodgingOptionForm,
    LodgingPriceForm,
    LodgingTouristTaxForm,
    SuspensionForm,
    UnitPriceFormSet,
    max_units,
    unit_formset,
)
from .models import Lodging, Suspension, Unit


@owner_required
def lodging_list(request: HttpRequest, domain_pk: int) -> HttpResponse:
    domain = own_domain(domain_pk, request.user.pk)
    page = CompiledPaginator(_LODGINGS, PAGE_SIZE, domain.pk, ContentType.objects.get_for_model(Lodging).pk,
                             RevisionStatus.PENDING.value).get_page(request.GET.get("page"))
    pending_flags_and_counts(page.object_list)
    offer_rows(Lodging, page)
    # The rooms of the page's lodgings in one query (an IN list: built by the ORM each time).
    units = defaultdict(list)
    for unit in (Unit.objects.filter(lodging_id__in=[lodging.pk for lodging in page.object_list])
                 .order_by("lodging_id", "position", "pk")  # Unit's order within a lodging
                 .values("pk", "lodging_id", "name", "nightly_price", "is_active")):
        units[unit["lodging_id"]].append(OfferRow(Unit, unit))
    for lodging in page.object_list:
        lodging.units = _Units(units[lodging.pk])
    return render(request, "lodgings/lodging_list.html", {"domain": domain, "page": page, "tab": "domains"})


# What the table shows (domains/offer_rows.py), with SQL built once per process.
_LODGINGS = CompiledPages(
    rows=lambda domain_id, content_type_id, pending: (
        Lodging.objects.filter(domain_id=domain_id).annotate(revision=first_pending_revision(content_type_id, pending))
        .order_by("title").values_list("pk", "title", "kind", "status", "revision")),
    count=lambda domain_id, *_constants: (Lodging.objects.filter(domain_id=domain_id).order_by().values("domain_id")
                                          .annotate(n=Count("pk")).values_list("n")),
    sentinels=(-7_301_903, -7_301_904, "\x00pending"), columns=("pk", "title", "kind", "status", "has_revision"))


class _Units(list):
    """A lodging's rooms as its row offers them (`lodging.units.all`, as the prefetch did)."""

    def all(self) -> list:
        return self


@owner_required
def lodging_add(request: HttpRequest, domain_pk: int) -> HttpResponse:
    domain = get_object_or_404(Domain, pk=domain_pk, owner=request.user)
    form = LodgingCreateForm(request.POST or None, instance=Lodging(domain=domain))
    if request.method == "POST" and form.is_valid():
        lodging = form.save(commit=False)
        lodging.slug = services.unique_lodging_slug(lodging.title)
        lodging.wizard_step = "description"
        lodging.save()
        messages.success(request, _("Hébergement créé. Décrivez maintenant ses chambres."))
        return redirect(lodging_wizard.step_url(lodging, "chambres"))
    return lodging_wizard.creation_page(request, form=form, heading=_("Ajouter un hébergement"),
                                     back_url=reverse("lodging_list", args=[domain.pk]))


class LodgingWizard(OfferWizard):
    preview_kind = "hebergement"
    model = Lodging
    url_name = "lodging_wizard"
    continue_url_name = "lodging_continue"
    steps = [
        Step("description", gettext_lazy("Description"), "description"),
        Step("chambres", gettext_lazy("Chambres / gîte"), "units"),
        Step("prix", gettext_lazy("Prix"), "prices"),
        Step("equipements", gettext_lazy("Équipements et accessibilité"), "amenities"),
        Step("option", gettext_lazy("Option"), "option"),
        Step("taxe", gettext_lazy("Taxe de séjour"), "tourist_tax"),
        Step("photos", gettext_lazy("Photos"), "photos_step"),
        Step(SUBMIT, gettext_lazy("Soumettre"), "submit_step"),
    ]

    def queryset(self, user) -> QuerySet:
        return Lodging.objects.filter(domain__owner=user).select_related("domain")

    def back_url(self, offer) -> str:
        return reverse("lodging_list", args=[offer.domain_id])

    def description(self, request, lodging, step):
        return self.form_step(request, lodging, step, LodgingDescriptionForm)

    def units(self, request, lodging, step):
        """Rooms apply at once, even on a published lodging: they are what travellers book."""
        data = request.POST if request.method == "POST" else None
        if data is not None and "add_row" in data:
            return {"formset": unit_formset(lodging, data=with_extra_row(data, "units", maximum=max_units(lodging))),
                    "template": "lodgings/wizard/units.html"}
        formset = unit_formset(lodging, data=data)
        if data is not None and formset.is_valid():
            save_units(formset)
            services.refresh_search_columns(lodging=lodging)
            return self.advance(request, lodging, step)
        return {"formset": formset, "template": "lodgings/wizard/units.html"}

    def prices(self, request, lodging, step):
        data = request.POST if request.method == "POST" else None
        formset = UnitPriceFormSet(data, queryset=lodging.units.filter(is_active=True), prefix="prices")
        form = self.offer_form(request, lodging, LodgingPriceForm)
        if data is not None and formset.is_valid() and form.is_valid():
            with transaction.atomic():
                formset.save()
                waits = self.save_offer_form(lodging, form)
            return self.advance(request, lodging, step, waits_for_staff=waits)
        return {"forms": [form], "formset": formset, "template": "lodgings/wizard/prices.html"}

    def amenities(self, request, lodging, step):
        return self.form_step(request, lodging, step, LodgingAmenitiesForm)

    def option(self, request, lodging, step):
        return self.form_step(request, lodging, step, LodgingOptionForm)

    def tourist_tax(self, request, lodging, step):
        return self.form_step(request, lodging, step, LodgingTouristTaxForm)


@transaction.atomic
def save_units(formset) -> None:
    """A room with bookings cannot be deleted (accounting keeps them): it is withdrawn instead."""
    for form in formset.forms:
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                try:
                    with transaction.atomic():
                        form.instance.delete()
                except ProtectedError:
                    Unit.objects.filter(pk=form.instance.pk).update(is_active=False)
                    content_changed.send(sender=Unit, lodging_id=form.instance.lodging_id,
                                         domain_id=form.instance.lodging.domain_id)
        elif form.has_changed() or form.instance.pk:
            unit = form.save(commit=False)
            unit.position = unit.position or formset.forms.index(form) + 1
            unit.save()


lodging_wizard = LodgingWizard()
lodging_wizard_view = lodging_wizard.as_view()
lodging_continue = lodging_wizard.as_continue_view()


def owned_lodging(request: HttpRequest, pk: int) -> Lodging:
    return get_object_or_404(Lodging.objects.select_related("domain"), pk=pk, domain__owner=request.user)


@owner_required
def lodging_suspensions(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner hides the lodging for some dates, without writing to us (FAQ)."""
    lodging = owned_lodging(request, pk)
    today = timezone.localdate()
    form = SuspensionForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        services.add_suspension(lodging=lodging, start=start, end=end, reason=form.cleaned_data["reason"], today=today)
        messages.success(request, _("Suspension enregistrée : l'hébergement est masqué sur ces dates."))
        if held := services.bookings_during(lodging=lodging, start=start, end=end):
            messages.warning(request, _(
                "Attention : ces dates comptent déjà des réservations, qui restent valables (%(references)s). "
                "Pour en annuler une, ouvrez-la dans Réservations.") % {"references": ", ".join(held)})
        return redirect("lodging_suspensions", pk=lodging.pk)
    suspensions = lodging.suspensions.filter(end__gt=today).order_by("start")
    return render(request, "lodgings/suspensions.html", {
        "lodging": lodging, "form": form, "suspensions": suspensions, "tab": "domains"})


@owner_required
def lodging_suspension_delete(request: HttpRequest, pk: int, suspension_pk: int) -> HttpResponse:
    lodging = owned_lodging(request, pk)
    suspension = get_object_or_404(Suspension, pk=suspension_pk, lodging=lodging)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.remove_suspension(suspension=suspension)
    messages.success(request, _("Suspension supprimée : l'hébergement est de nouveau visible sur ces dates."))
    return redirect("lodging_suspensions", pk=lodging.pk)
