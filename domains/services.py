"""The moderation workflow shared by domains, lodgings and experiences, plus domain rules
(slugs, labels, photos). Apps that own an offer type register their checks and listeners
here (see `register_offer_type`), so this module never imports them."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.images import open_checked_image, reencode

from .emails import send_owner_email
from .models import Domain, DomainLabel, Label, LabelProposal, ProposalStatus, Revision, RevisionStatus
from .moderation import ModeratedOffer, OfferStatus
from .photos import PHOTO_SIZES, OfferPhoto


class OfferError(Exception):
    """An expected refusal (wrong status, missing period…), with a message for the owner."""

    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


# --- Offer types -----------------------------------------------------------------------

@dataclass
class OfferType:
    checks: list[Callable[[Any, date], list[str]]] = field(default_factory=list)
    listeners: list[Callable[[Any, datetime], None]] = field(default_factory=list)
    dashboard_url: Callable[[Any], str] | None = None


_types: dict[type, OfferType] = {}


def register_offer_type(model: type, *, check: Callable | None = None, listener: Callable | None = None,
                        dashboard_url: Callable | None = None) -> None:
    """`check(offer, today)` lists what blocks a submission; `listener(offer, now)` runs after
    every status change or applied revision, with `now` (search columns, sessions)."""
    offer_type = _types.setdefault(model, OfferType())
    if check:
        offer_type.checks.append(check)
    if listener:
        offer_type.listeners.append(listener)
    if dashboard_url:
        offer_type.dashboard_url = dashboard_url


def offer_owner(offer: ModeratedOffer) -> User:
    return offer.owner if isinstance(offer, Domain) else offer.domain.owner


def offer_name(offer: ModeratedOffer) -> str:
    return offer.name if isinstance(offer, Domain) else offer.title


def offer_dashboard_url(offer: ModeratedOffer) -> str:
    offer_type = _types.get(type(offer))
    if offer_type and offer_type.dashboard_url:
        return offer_type.dashboard_url(offer)
    return reverse("domain_wizard", kwargs={"pk": offer.pk, "step": "soumettre"})


def submission_problems(*, offer: ModeratedOffer, today: date) -> list[str]:
    problems: list[str] = []
    for check in _types.get(type(offer), OfferType()).checks:
        problems += check(offer, today)
    return problems


def _status_changed(offer: ModeratedOffer, now: datetime) -> None:
    for listener in _types.get(type(offer), OfferType()).listeners:
        listener(offer, now)


def _domain_check(domain: Domain, today: date) -> list[str]:
    problems = []
    if not domain.history.strip():
        problems.append(str(_("Racontez l'histoire du lieu (étape « Informations »).")))
    if not (domain.commune and domain.region and domain.departement):
        problems.append(str(_("Indiquez la commune, le département et la région (étape « Adresse et localisation »).")))
    if domain.monument_protection and not domain.merimee_reference:
        problems.append(str(_("Indiquez la référence Mérimée du monument historique (étape « Labels et protections »).")))
    return problems


register_offer_type(Domain, check=_domain_check)


# --- Status transitions ------------------------------------------------------------------

def _move(offer: ModeratedOffer, *, old: tuple[str, ...], new: str, now: datetime, **values: Any) -> None:
    """Compare-and-set: two staff members clicking at once change the row only once."""
    changed = type(offer).objects.filter(pk=offer.pk, status__in=old).update(status=new, **values)
    if changed != 1:
        raise OfferError(_("Cette offre a changé de statut entre-temps ; rechargez la page."))
    offer.refresh_from_db()
    _status_changed(offer, now)


def _mail_context(offer: ModeratedOffer, **extra: Any) -> dict:
    return {"offer": offer, "offer_name": offer_name(offer), "kind": offer._meta.verbose_name,
            "dashboard_path": offer_dashboard_url(offer), **extra}


@transaction.atomic
def submit_offer(*, offer: ModeratedOffer, now: datetime) -> None:
    """Owner's "Soumettre": draft or rejected → submitted, staff have 2 business days."""
    if offer.status not in (OfferStatus.DRAFT, OfferStatus.REJECTED):
        raise OfferError(_("Cette offre est déjà soumise ou publiée."))
    problems = submission_problems(offer=offer, today=timezone.localdate(now))
    if problems:
        raise OfferError(" ".join(problems))
    _move(offer, old=(OfferStatus.DRAFT, OfferStatus.REJECTED), new=OfferStatus.SUBMITTED, now=now,
          submitted_at=now, rejection_reason="")
    send_owner_email(user=offer_owner(offer), template="submitted", context=_mail_context(offer))


@transaction.atomic
def withdraw_offer(*, offer: ModeratedOffer, now: datetime) -> None:
    """The owner takes a submission back to keep working on it."""
    if offer.status != OfferStatus.SUBMITTED:
        raise OfferError(_("Seule une offre en attente de validation peut être retirée."))
    _move(offer, old=(OfferStatus.SUBMITTED,), new=OfferStatus.DRAFT, now=now, submitted_at=None)


@transaction.atomic
def approve_offer(*, offer: ModeratedOffer, by: User, now: datetime) -> None:
    if offer.status != OfferStatus.SUBMITTED:
        raise OfferError(_("Seule une offre soumise peut être validée."))
    _move(offer, old=(OfferStatus.SUBMITTED,), new=OfferStatus.PUBLISHED, now=now, reviewed_at=now, published_at=now,
          rejection_reason="")
    send_owner_email(user=offer_owner(offer), template="approved", context=_mail_context(offer))


@transaction.atomic
def reject_offer(*, offer: ModeratedOffer, by: User, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise OfferError(_("Indiquez le motif du refus : il est montré au propriétaire."))
    if offer.status != OfferStatus.SUBMITTED:
        raise OfferError(_("Seule une offre soumise peut être refusée."))
    _move(offer, old=(OfferStatus.SUBMITTED,), new=OfferStatus.REJECTED, now=now, reviewed_at=now,
          rejection_reason=reason.strip())
    send_owner_email(user=offer_owner(offer), template="rejected", context=_mail_context(offer, reason=reason))


# --- Revisions of published offers ---------------------------------------------------------

def serialize_value(model_field: models.Field, value: Any) -> Any:
    if isinstance(model_field, models.ManyToManyField):
        return sorted(obj.pk if hasattr(obj, "pk") else int(obj) for obj in value)
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def deserialize_value(model_field: models.Field, value: Any) -> Any:
    if value is None or isinstance(model_field, models.ManyToManyField):
        return value
    return model_field.to_python(value)


def current_value(offer: ModeratedOffer, model_field: models.Field) -> Any:
    if isinstance(model_field, models.ManyToManyField):
        return sorted(getattr(offer, model_field.name).values_list("pk", flat=True))
    return serialize_value(model_field, getattr(offer, model_field.attname))


def pending_revision(offer: ModeratedOffer) -> Revision | None:
    return Revision.objects.filter(content_type=ContentType.objects.get_for_model(offer), object_id=offer.pk,
                                   status=RevisionStatus.PENDING).first()


def overlay_revision(offer: ModeratedOffer, revision: Revision | None) -> ModeratedOffer:
    """A copy of the offer showing the owner's pending changes (never saved as is)."""
    copy = type(offer).objects.get(pk=offer.pk)
    for name, value in (revision.changes if revision else {}).items():
        model_field = offer._meta.get_field(name)
        if not isinstance(model_field, models.ManyToManyField):
            setattr(copy, model_field.attname, deserialize_value(model_field, value))
    return copy


@transaction.atomic
def record_revision(*, offer: ModeratedOffer, values: dict[str, Any]) -> Revision | None:
    """Store what the owner changed on a published offer; the public version stays as is.
    `values` maps field names to new (Python) values; those equal to the live ones are dropped."""
    offer = type(offer).objects.select_for_update().get(pk=offer.pk)
    revision = pending_revision(offer)
    changes = dict(revision.changes) if revision else {}
    for name, value in values.items():
        model_field = offer._meta.get_field(name)
        new = serialize_value(model_field, value)
        if deserialize_value(model_field, new) == deserialize_value(model_field, current_value(offer, model_field)):
            changes.pop(name, None)
        else:
            changes[name] = new
    if revision is None and not changes:
        return None
    if revision is None:
        revision = Revision(content_type=ContentType.objects.get_for_model(offer), object_id=offer.pk)
    revision.changes = changes
    revision.save()
    return revision


@transaction.atomic
def submit_revision(*, revision: Revision, now: datetime) -> None:
    if revision.status != RevisionStatus.PENDING or not revision.changes:
        raise OfferError(_("Il n'y a aucune modification à soumettre."))
    Revision.objects.filter(pk=revision.pk).update(submitted_at=now)
    revision.refresh_from_db()
    send_owner_email(user=offer_owner(revision.offer), template="submitted",
                     context=_mail_context(revision.offer, revision=revision))


@transaction.atomic
def withdraw_revision(*, revision: Revision, now: datetime) -> None:
    if not _revision_cas(revision, new=RevisionStatus.WITHDRAWN, reviewed_at=now):
        raise OfferError(_("Cette modification n'est plus en attente."))


def _revision_cas(revision: Revision, *, new: str, **values: Any) -> bool:
    changed = Revision.objects.filter(pk=revision.pk, status=RevisionStatus.PENDING).update(status=new, **values)
    revision.refresh_from_db()
    return changed == 1


def apply_changes(offer: ModeratedOffer, changes: dict[str, Any]) -> None:
    scalar = []
    for name, value in changes.items():
        model_field = offer._meta.get_field(name)
        if isinstance(model_field, models.ManyToManyField):
            getattr(offer, name).set(value)
        else:
            setattr(offer, model_field.attname, deserialize_value(model_field, value))
            scalar.append(model_field.attname)
    if isinstance(offer, Domain) and {"monument_protection", "merimee_reference"} & set(changes):
        offer.monument_verified = False  # a new credential must be checked again
        scalar.append("monument_verified")
    if scalar:
        offer.save(update_fields=[*scalar, "updated_at"])


@transaction.atomic
def approve_revision(*, revision: Revision, by: User, now: datetime) -> None:
    if revision.submitted_at is None:
        raise OfferError(_("Le propriétaire n'a pas encore soumis cette modification."))
    if not _revision_cas(revision, new=RevisionStatus.APPROVED, reviewed_at=now):
        raise OfferError(_("Cette modification n'est plus en attente."))
    offer = type(revision.offer).objects.select_for_update().get(pk=revision.object_id)
    apply_changes(offer, revision.changes)
    _status_changed(offer, now)
    send_owner_email(user=offer_owner(offer), template="approved", context=_mail_context(offer, revision=revision))


@transaction.atomic
def reject_revision(*, revision: Revision, by: User, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise OfferError(_("Indiquez le motif du refus : il est montré au propriétaire."))
    if not _revision_cas(revision, new=RevisionStatus.REJECTED, reviewed_at=now, rejection_reason=reason.strip()):
        raise OfferError(_("Cette modification n'est plus en attente."))
    send_owner_email(user=offer_owner(revision.offer), template="rejected",
                     context=_mail_context(revision.offer, revision=revision, reason=reason))


def last_rejected_revision(offer: ModeratedOffer) -> Revision | None:
    return (Revision.objects.filter(content_type=ContentType.objects.get_for_model(offer), object_id=offer.pk)
            .exclude(status=RevisionStatus.WITHDRAWN).order_by("-created_at").first())


# --- Domains ---------------------------------------------------------------------------------

def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:160] or "offre"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_domain(*, owner: User, values: dict[str, Any]) -> Domain:
    domain = Domain(owner=owner, **values)
    domain.slug = unique_slug(Domain, domain.name)
    domain.full_clean()
    domain.save()
    return domain


@transaction.atomic
def set_domain_labels(*, domain: Domain, labels: list[Label]) -> None:
    """Memberships the owner declares; new ones wait for staff verification before a badge shows."""
    wanted = {label.pk for label in labels}
    DomainLabel.objects.filter(domain=domain).exclude(label_id__in=wanted).delete()
    existing = set(DomainLabel.objects.filter(domain=domain).values_list("label_id", flat=True))
    DomainLabel.objects.bulk_create([DomainLabel(domain=domain, label_id=pk) for pk in wanted - existing])


def propose_label(*, owner: User, name: str, website: str, reason: str) -> LabelProposal:
    return LabelProposal.objects.create(owner=owner, name=name.strip(), website=website, reason=reason)


@transaction.atomic
def answer_label_proposal(*, proposal: LabelProposal, accept: bool, answer: str, now: datetime) -> None:
    """Staff accept (the label becomes selectable) or refuse; the owner is told either way."""
    if proposal.status != ProposalStatus.PENDING:
        raise OfferError(_("Cette proposition a déjà reçu une réponse."))
    label = None
    if accept:
        label = Label.objects.filter(name__iexact=proposal.name).first() or Label.objects.create(
            name=proposal.name, slug=unique_slug(Label, proposal.name), website=proposal.website)
    status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REFUSED
    updated = LabelProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=status, label=label, staff_answer=answer, decided_at=now)
    if updated != 1:
        raise OfferError(_("Cette proposition a déjà reçu une réponse."))
    proposal.refresh_from_db()
    send_owner_email(user=proposal.owner, template="label_answer", context={"proposal": proposal})


# --- Photos ------------------------------------------------------------------------------------

def add_photo(*, offer: ModeratedOffer, upload: UploadedFile, caption: str) -> OfferPhoto:
    """Check the upload like the profile photo and write every size once, now."""
    image = open_checked_image(upload)
    photos = offer.photos
    position = (photos.aggregate(models.Max("position"))["position__max"] or 0) + 1
    photo = photos.model(**{photos.field.name: offer}, caption=caption, position=position)
    stem = f"{offer._meta.model_name}-{offer.pk}"
    for size_name, max_side in PHOTO_SIZES.items():
        content = reencode(image, max_side=max_side)
        getattr(photo, size_name).save(f"{stem}-{size_name}.jpg", content, save=False)
    photo.save()
    return photo


def move_photo(*, photo: OfferPhoto, up: bool) -> None:
    """Swap the photo with its neighbour, then renumber 1..n so positions stay tidy."""
    siblings = list(type(photo).objects.filter(**{photo._meta.get_field(_fk(photo)).name: getattr(photo, _fk(photo))}))
    index = next(i for i, p in enumerate(siblings) if p.pk == photo.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            type(photo).objects.filter(pk=sibling.pk).update(position=position)


def _fk(photo: OfferPhoto) -> str:
    return next(f.name for f in photo._meta.fields if isinstance(f, models.ForeignKey))


def delete_photo(*, photo: OfferPhoto) -> None:
    files = [getattr(photo, name) for name in PHOTO_SIZES]
    photo.delete()
    for stored in files:
        if stored:
            stored.delete(save=False)


def validation_error_message(error: ValidationError) -> str:
    return " ".join(error.messages)
