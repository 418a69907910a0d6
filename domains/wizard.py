"""The multi-step offer form shared by domains, lodgings and experiences.

Each step saves at once and records the furthest step reached (`wizard_step`), so
"Continue submission" resumes where the owner stopped. On a published offer, the offer's
own fields go into a pending `Revision` instead: the validated version stays online."""
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.decorators import owner_required

from . import moderation, photos
from .forms import PhotoForm
from .models import ModeratedOffer, OfferStatus, RevisionStatus
from .offer_types import submission_problems
from .signals import photo_changed

SUBMIT = "soumettre"


def with_extra_row(data: QueryDict, prefix: str, *, maximum: int) -> QueryDict:
    """The "Ajouter" buttons of a formset work without JavaScript: the same data, one more
    empty row — never more than `maximum` (what the offer allows): the count is posted by
    the browser, and `TOTAL_FORMS=100000` would otherwise render that many rows."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    count = data.get(key, "")
    data[key] = str(min(int(count) + 1, maximum)) if count.isdigit() and len(count) < 7 else "0"
    return data


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any
    handler: str


class OfferWizard:
    model: type[ModeratedOffer]
    steps: list[Step]
    url_name: str
    continue_url_name: str
    heading: Any = ""
    tab = "domains"
    template_name = "domains/wizard/base.html"
    preview_kind = ""  # public/urls.py offer_preview: the "Soumettre" step shows the offer as travellers will

    # --- to provide -----------------------------------------------------------------------
    def queryset(self, user) -> models.QuerySet:
        raise NotImplementedError

    def back_url(self, offer: ModeratedOffer) -> str:
        raise NotImplementedError

    # --- views ----------------------------------------------------------------------------
    def creation_page(self, request: HttpRequest, *, form, heading, back_url: str) -> HttpResponse:
        """The first step of a new offer, before it exists: the same page as the wizard's."""
        return render(request, self.template_name, {
            "forms": [form], "tab": self.tab, "heading": heading, "creating": True,
            "steps": [{"step": s, "number": i + 1, "current": i == 0} for i, s in enumerate(self.steps)],
            "step": self.steps[0], "step_number": 1, "step_count": len(self.steps), "back_url": back_url,
        })

    def as_view(self):
        @owner_required
        def view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
            offer = get_object_or_404(self.queryset(request.user), pk=pk)
            current = self.step(step)
            if request.method == "POST" and self.is_locked(offer) and current.slug != SUBMIT:
                messages.error(request, _("Cette offre attend la validation de l'équipe : retirez votre soumission "
                                          "pour la modifier."))
                return redirect(self.step_url(offer, current.slug))
            result = getattr(self, current.handler)(request, offer, current)
            if isinstance(result, HttpResponse):
                return result
            return self.render(request, offer, current, result)

        return view

    def as_continue_view(self):
        @owner_required
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            offer = get_object_or_404(self.queryset(request.user), pk=pk)
            return redirect(self.step_url(offer, self.resume_step(offer).slug))

        return view

    # --- steps ----------------------------------------------------------------------------
    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        raise Http404

    def index(self, slug: str) -> int:
        return next((i for i, step in enumerate(self.steps) if step.slug == slug), -1)

    def resume_step(self, offer: ModeratedOffer) -> Step:
        if offer.status != OfferStatus.DRAFT:
            return self.steps[-1] if offer.status == OfferStatus.SUBMITTED else self.steps[0]
        return self.steps[min(self.index(offer.wizard_step) + 1, len(self.steps) - 1)]

    def step_url(self, offer: ModeratedOffer, slug: str) -> str:
        return reverse(self.url_name, kwargs={"pk": offer.pk, "step": slug})

    def is_locked(self, offer: ModeratedOffer) -> bool:
        return offer.status == OfferStatus.SUBMITTED

    def advance(self, request: HttpRequest, offer: ModeratedOffer, step: Step, *,
                waits_for_staff: bool = False) -> HttpResponse:
        """Remember the furthest step saved, then go to the next one. `waits_for_staff`: the
        step recorded a revision of a published offer (`save_offer_form`); otherwise what
        it saved (rooms, periods, photos…) is already online, and the message says so."""
        if self.index(step.slug) > self.index(offer.wizard_step):
            type(offer).objects.filter(pk=offer.pk).update(wizard_step=step.slug)
        if offer.status == OfferStatus.PUBLISHED and waits_for_staff:
            messages.success(request, _("Modification enregistrée : elle sera en ligne après validation de l'équipe "
                                        "(soumettez-la à la dernière étape)."))
        elif offer.status == OfferStatus.PUBLISHED:
            messages.success(request, _("Modification enregistrée : elle est déjà en ligne."))
        else:
            messages.success(request, _("Étape « %(step)s » enregistrée.") % {"step": step.title})
        following = self.steps[min(self.index(step.slug) + 1, len(self.steps) - 1)]
        return redirect(self.step_url(offer, following.slug))

    def render(self, request: HttpRequest, offer: ModeratedOffer, step: Step, context: dict) -> HttpResponse:
        reached = max(self.index(offer.wizard_step), 0)
        revision = moderation.pending_revision(offer) if offer.status == OfferStatus.PUBLISHED else None
        latest = moderation.last_rejected_revision(offer) if offer.status == OfferStatus.PUBLISHED else None
        return render(request, context.pop("template", self.template_name), {
            "offer": offer, "wizard": self, "step": step, "tab": self.tab, "heading": self.heading,
            "steps": [{"step": s, "url": self.step_url(offer, s.slug), "done": i <= reached,
                       "current": s == step, "number": i + 1} for i, s in enumerate(self.steps)],
            "step_number": self.index(step.slug) + 1, "step_count": len(self.steps),
            "revision": revision, "locked": self.is_locked(offer), "back_url": self.back_url(offer),
            "rejected_revision": latest if latest and latest.status == RevisionStatus.REJECTED else None,
            **context,
        })

    # --- generic handlers -------------------------------------------------------------------
    def offer_form(self, request: HttpRequest, offer: ModeratedOffer, form_class: type[forms.ModelForm],
                   **kwargs: Any) -> forms.ModelForm:
        """The form shows the pending revision's values on a published offer."""
        instance, initial = offer, {}
        if offer.status == OfferStatus.PUBLISHED:
            revision = moderation.pending_revision(offer)
            instance = moderation.overlay_revision(offer, revision)
            for name, value in (revision.changes if revision else {}).items():
                if isinstance(offer._meta.get_field(name), models.ManyToManyField):
                    initial[name] = value
        data = request.POST if request.method == "POST" else None
        return form_class(data, instance=instance, initial=initial, **kwargs)

    def save_offer_form(self, offer: ModeratedOffer, form: forms.ModelForm) -> bool:
        """Save a step's form; True when the change waits for staff (a revision of a published
        offer that changed something), False when it is saved as is."""
        if offer.status == OfferStatus.PUBLISHED:
            return moderation.record_revision(offer=offer, values={
                name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}) is not None
        form.save()
        return False

    def form_step(self, request: HttpRequest, offer: ModeratedOffer, step: Step,
                  form_class: type[forms.ModelForm]) -> HttpResponse | dict:
        form = self.offer_form(request, offer, form_class)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                waits = self.save_offer_form(offer, form)
            return self.advance(request, offer, step, waits_for_staff=waits)
        return {"forms": [form]}

    def photos_step(self, request: HttpRequest, offer: ModeratedOffer, step: Step) -> HttpResponse | dict:
        """Several photos at once (the file input takes many; a drop zone with JavaScript),
        reordered by up/down buttons or by drag and drop ("reorder"), the first one the cover."""
        existing = list(offer.photos.all())
        form = PhotoForm(request.POST or None, request.FILES or None, room=max(photos.MAX_PHOTOS - len(existing), 0),
                         maximum=photos.MAX_PHOTOS)
        if request.method == "POST":
            action = request.POST.get("action", "")
            if action == "next":
                return self.advance(request, offer, step)
            if action == "upload":
                if form.is_valid():
                    added = self.add_photos(offer, form)
                    if added:
                        messages.success(request, ngettext("%(n)s photo ajoutée.", "%(n)s photos ajoutées.", added)
                                         % {"n": added})
                    if not form.refused:
                        return redirect(self.step_url(offer, step.slug))
                    for reason in form.refused:
                        form.add_error("image", reason)
                existing = list(offer.photos.all())
            elif action == "reorder":
                ids = [int(pk) for pk in request.POST.get("order", "").split(",") if pk.isdigit() and len(pk) < 12]
                if photos.reorder_photos(photos=existing, ids=ids):
                    messages.success(request, _("Nouvel ordre enregistré."))
                else:
                    messages.error(request, _("Les photos ont changé entre-temps : l'ordre n'est pas enregistré, "
                                              "recommencez."))
                return redirect(self.step_url(offer, step.slug))
            else:
                photo_pk = request.POST.get("photo", "")
                photo = get_object_or_404(offer.photos.all(), pk=int(photo_pk) if photo_pk.isdigit() else 0)
                if action == "delete":
                    photos.delete_photo(photo=photo)
                    messages.success(request, _("Photo supprimée."))
                elif action in ("up", "down"):
                    photos.move_photo(photo=photo, up=action == "up")
                elif action == "cover":
                    photos.set_cover(photo=photo)
                    messages.success(request, _("Photo de couverture choisie : les voyageurs la voient en premier."))
                elif action == "caption":
                    type(photo).objects.filter(pk=photo.pk).update(caption=request.POST.get("caption", "")[:200],
                                                                   caption_en=request.POST.get("caption_en", "")[:200])
                    photo_changed(photo)
                    messages.success(request, _("Légende enregistrée."))
                return redirect(self.step_url(offer, step.slug))
        return {"photo_form": form, "photos": existing, "max_photos": photos.MAX_PHOTOS,
                "template": "domains/wizard/photos.html"}

    def add_photos(self, offer: ModeratedOffer, form: PhotoForm) -> int:
        """Add the form's accepted uploads in the order chosen; one the storage refuses joins
        the refused ones."""
        uploads = form.cleaned_data["image"]
        # A caption typed for one photo is that photo's; several photos are captioned one by one.
        one = len(uploads) == 1
        caption = form.cleaned_data["caption"] if one else ""
        caption_en = form.cleaned_data["caption_en"] if one else ""
        added = 0
        for upload in uploads:
            try:
                with transaction.atomic():
                    photos.add_photo(offer=offer, upload=upload, caption=caption, caption_en=caption_en)
            except ValidationError as error:
                form.refused.append(" ".join(error.messages))
            else:
                added += 1
        return added

    def submit_step(self, request: HttpRequest, offer: ModeratedOffer, step: Step) -> HttpResponse | dict:
        now = timezone.now()
        problems = submission_problems(offer=offer, today=timezone.localdate(now))
        if request.method == "POST":
            try:
                message = self.submit_action(request.POST.get("action", ""), offer, now)
            except moderation.OfferError as error:
                messages.error(request, str(error.message))
                return redirect(self.step_url(offer, step.slug))
            messages.success(request, message)
            return redirect(self.back_url(offer))
        revision = moderation.pending_revision(offer) if offer.status == OfferStatus.PUBLISHED else None
        preview_url = reverse("offer_preview", kwargs={"kind": self.preview_kind, "pk": offer.pk}) \
            if self.preview_kind else ""
        return {"problems": problems, "template": "domains/wizard/submit.html", "preview_url": preview_url,
                "changes": revision_rows(revision) if revision else []}

    def submit_action(self, action: str, offer: ModeratedOffer, now) -> str:
        if action == "submit":
            moderation.submit_offer(offer=offer, now=now)
            return _("Merci ! Votre offre est soumise : l'équipe la valide sous deux jours ouvrés.")
        if action == "withdraw":
            moderation.withdraw_offer(offer=offer, now=now)
            return _("Votre soumission est retirée : vous pouvez de nouveau modifier l'offre.")
        revision = moderation.pending_revision(offer)
        if revision is None:
            raise moderation.OfferError(_("Il n'y a aucune modification à soumettre."))
        if action == "submit_revision":
            moderation.submit_revision(revision=revision, now=now)
            return _("Vos modifications sont soumises : la version publiée reste en ligne jusqu'à leur validation.")
        if action == "withdraw_revision":
            moderation.withdraw_revision(revision=revision, now=now)
            return _("Vos modifications sont abandonnées.")
        raise moderation.OfferError(_("Action inconnue."))


def revision_rows(revision) -> list[dict]:
    """Field label, live value, proposed value: for the owner's summary and staff's side-by-side view."""
    offer = revision.offer
    rows = []
    for name, value in revision.changes.items():
        model_field = offer._meta.get_field(name)
        rows.append({"label": model_field.verbose_name, "current": display_value(offer, model_field, None),
                     "proposed": display_value(offer, model_field, value, proposed=True)})
    return rows


def display_value(offer, model_field, value, *, proposed: bool = False) -> str:
    if isinstance(model_field, models.ManyToManyField):
        related = model_field.related_model.objects
        objects = related.filter(pk__in=value) if proposed else getattr(offer, model_field.name).all()
        return ", ".join(str(obj) for obj in objects) or "—"
    python = moderation.deserialize_value(model_field, value) if proposed else getattr(offer, model_field.attname)
    if model_field.choices:
        python = dict(model_field.flatchoices).get(python, python)
    if python in (None, ""):
        return "—"
    if isinstance(python, bool):
        return gettext_lazy("Oui") if python else gettext_lazy("Non")
    return str(python)
