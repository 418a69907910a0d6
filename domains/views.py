"""Owner dashboard: "Domaines historiques" table, the domain wizard, label proposals."""
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import owner_required
from core.subqueries import count_of
from geo.maps import static_map

from . import services
from .forms import DomainAddressForm, DomainInfoForm, DomainLabelsForm, LabelProposalForm
from .labels import propose_label, set_domain_labels
from .models import Domain, LabelProposal, RevisionStatus
from .offer_rows import CompiledPages, CompiledPaginator, first_pending_revision, offer_rows
from .wizard import SUBMIT, OfferWizard, Step

PAGE_SIZE = 20


def _related(name: str) -> QuerySet:
    # Lodgings and experiences sit above domains in the layers: reached by the relation's name.
    return Domain._meta.get_field(name).related_model._base_manager.all()


def _domain_rows(owner_id, content_type_id, pending):
    return (Domain.objects.filter(owner_id=owner_id)
            .annotate(lodging_count=count_of(_related("lodgings"), link="domain"),
                      experience_count=count_of(_related("experiences"), link="domain"),
                      revision=first_pending_revision(content_type_id, pending))
            .order_by("name")
            .values_list("pk", "name", "commune", "departement", "status", "revision", "lodging_count",
                         "experience_count"))


# What the table shows (domains/offer_rows.py), with SQL built once per process.
_DOMAINS = CompiledPages(
    rows=_domain_rows,
    count=lambda owner_id, *_constants: (Domain.objects.filter(owner_id=owner_id).order_by().values("owner_id")
                                         .annotate(n=Count("pk")).values_list("n")),
    sentinels=(-7_301_801, -7_301_802, "\x00pending"), constants=(0,),  # count_of's COALESCE(…, 0)
    columns=("pk", "name", "commune", "departement", "status", "has_revision", "lodging_count", "experience_count"))


def pending_flags_and_counts(rows: list[dict]) -> None:
    """The subqueries' None as the former annotations' False and 0, in place."""
    for row in rows:
        row["has_revision"] = row["has_revision"] is not None
        for name in ("lodging_count", "experience_count", "future_periods"):
            if name in row:
                row[name] = row[name] or 0


@owner_required
def domain_list(request: HttpRequest) -> HttpResponse:
    content_type_id = ContentType.objects.get_for_model(Domain).pk
    page = CompiledPaginator(_DOMAINS, PAGE_SIZE, request.user.pk, content_type_id,
                             RevisionStatus.PENDING.value).get_page(request.GET.get("page"))
    pending_flags_and_counts(page.object_list)
    offer_rows(Domain, page)
    return render(request, "domains/domain_list.html", {"page": page, "tab": "domains"})


@owner_required
def domain_add(request: HttpRequest) -> HttpResponse:
    form = DomainInfoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        domain = services.create_domain(owner=request.user, values={**form.cleaned_data, "wizard_step": "infos"})
        messages.success(request, _("Domaine créé. Continuez avec son adresse."))
        return redirect(domain_wizard.step_url(domain, "adresse"))
    return domain_wizard.creation_page(request, form=form, heading=_("Ajouter un domaine historique"),
                                     back_url=reverse("dashboard_domains"))


class DomainWizard(OfferWizard):
    preview_kind = "domaine"
    model = Domain
    url_name = "domain_wizard"
    continue_url_name = "domain_continue"
    heading = gettext_lazy("Domaine historique")
    steps = [
        Step("infos", gettext_lazy("Informations"), "infos"),
        Step("adresse", gettext_lazy("Adresse et localisation"), "address"),
        Step("labels", gettext_lazy("Labels et protections"), "labels"),
        Step("photos", gettext_lazy("Photos"), "photos_step"),
        Step(SUBMIT, gettext_lazy("Soumettre"), "submit_step"),
    ]

    def queryset(self, user) -> QuerySet:
        return Domain.objects.filter(owner=user)

    def back_url(self, offer) -> str:
        return reverse("dashboard_domains")

    def infos(self, request, domain, step):
        return self.form_step(request, domain, step, DomainInfoForm)

    def address(self, request, domain, step):
        result = self.form_step(request, domain, step, DomainAddressForm)
        if isinstance(result, dict):
            form = result["forms"][0]
            result.update(template="domains/wizard/address.html", pin_map=address_map(form))
        return result

    def labels(self, request, domain, step):
        form = self.offer_form(request, domain, DomainLabelsForm)
        if request.method != "POST":
            form.initial["labels"] = list(domain.domain_labels.values_list("label_id", flat=True))
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                waits = self.save_offer_form(domain, form)
                set_domain_labels(domain=domain, labels=list(form.cleaned_data["labels"]))
            return self.advance(request, domain, step, waits_for_staff=waits)
        return {"forms": [form], "label_memberships": domain.domain_labels.select_related("label"),
                "template": "domains/wizard/labels.html"}


def address_map(form) -> dict:
    """The address step's map: the pin where the form's point is (or the département's
    centre, or France), zoomed on the département."""
    def number(name):
        try:
            return float(form[name].value())
        except (TypeError, ValueError):
            return None

    lat, lng = number("latitude"), number("longitude")
    departement = (form["departement"].value() or "").upper()
    points = [{"lat": lat, "lng": lng, "title": str(form["commune"].value() or ""), "url": "#id_latitude"}] \
        if lat is not None and lng is not None else []
    return static_map(points, map_id="address-map", focus=departement, title=_("Position du domaine"),
                      tiles=False)


domain_wizard = DomainWizard()
domain_wizard_view = domain_wizard.as_view()
domain_continue = domain_wizard.as_continue_view()


@owner_required
def label_propose(request: HttpRequest) -> HttpResponse:
    """ "Nouveau label/réseau": the owner asks staff to add a missing one."""
    form = LabelProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        propose_label(owner=request.user, **form.cleaned_data)
        messages.success(request, _("Merci ! L'équipe étudie votre proposition et vous répond par e-mail."))
        return redirect("label_propose")
    proposals = LabelProposal.objects.filter(owner=request.user).order_by("-created_at")[:50]
    return render(request, "domains/label_propose.html", {"form": form, "proposals": proposals, "tab": "domains"})
