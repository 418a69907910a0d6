"""The owner's preview of an offer, shown at the wizard's "Soumettre" step: the public page
rendered with the draft (or with the changes waiting for staff on a published offer), marked
« Aperçu », with nothing bookable. Only the offer's owner sees it; the step frames it."""
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.decorators import owner_required
from domains import moderation
from domains.models import Domain, OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging

from . import selectors
from .content import render_offer_text
from .views import experience_page_context, lodging_page_context

KINDS = {"domaine": Domain, "hebergement": Lodging, "experience": Experience}


def _draft(request: HttpRequest, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    owned = model.objects.filter(owner=request.user) if model is Domain else model.objects.filter(domain__owner=request.user)
    offer = get_object_or_404(owned, pk=pk)
    if offer.status == OfferStatus.PUBLISHED:
        offer = moderation.overlay_revision(offer, moderation.pending_revision(offer))
    return offer


@xframe_options_sameorigin
@owner_required
def offer_preview(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    offer = _draft(request, kind, pk)
    photos = list(offer.photos.all())
    preview = {"preview": True, "photos": photos, "review_count": 0}
    if kind == "hebergement":
        units = list(offer.units.filter(is_active=True))
        return render(request, "public/lodging.html", {
            **lodging_page_context(offer, units=units, chosen={}, preview=True), **preview})
    if kind == "experience":
        now = timezone.now()
        sessions = list(Session.objects.filter(experience=offer, is_active=True, start__gte=now).order_by("start")[:40])
        return render(request, "public/experience.html", {
            **experience_page_context(offer, sessions=sessions, preview=True), **preview})
    # A domain shows the lodgings and experiences travellers can already book there.
    offer.public_lodgings = list(selectors.published_lodgings().filter(domain=offer, units__is_listed=True)
                                 .annotate(price_from=Min("units__nightly_price")).prefetch_related("photos")
                                 .order_by("title"))
    offer.public_experiences = list(selectors.published_experiences().filter(domain=offer).prefetch_related("photos"))
    return render(request, "public/domain.html", {"domain": offer, "story": render_offer_text(offer, "history"), **preview})
