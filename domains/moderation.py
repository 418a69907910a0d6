"""The moderation workflow shared by every offer (domains, lodgings, experiences).

draft → submitted → published | rejected(reason) (`OfferStatus`). Editing a published offer
stores a pending `Revision`: the validated version stays online until staff approve it. The
checks before a submission and the listeners after a change come from the offer types'
registry (`domains.offer_types`), so this module never imports the apps above it."""
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .emails import send_owner_email
from .models import Domain, ModeratedOffer, OfferStatus, Revision, RevisionStatus
from .offer_types import (
    offer_dashboard_url,
    offer_models,
    offer_name,
    offer_owner,
    status_changed,
    submission_problems,
)


class OfferError(Exception):
    """An expected refusal (wrong status, missing period…), with a message for the owner."""

    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


# --- Status transitions ------------------------------------------------------------------

def _move(offer: ModeratedOffer, *, old: tuple[str, ...], new: str, now: datetime, **values: Any) -> None:
    """Compare-and-set: two staff members clicking at once change the row only once."""
    changed = type(offer).objects.filter(pk=offer.pk, status__in=old).update(status=new, **values)
    if changed != 1:
        raise OfferError(_("Cette offre a changé de statut entre-temps ; rechargez la page."))
    offer.refresh_from_db()
    status_changed(offer, now)


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
    # An offer is announced online only when travellers can reach it: a lodging or an
    # experience approved before its domain waits for it, and the domain's email names them.
    context = _mail_context(offer)
    if isinstance(offer, Domain):
        context["now_online"] = [offer_name(other) for other in _published_offers_of(offer)]
    elif offer.domain.status != OfferStatus.PUBLISHED:
        context["waiting_for_domain"] = offer.domain.name
    send_owner_email(user=offer_owner(offer), template="approved", context=context)


def _published_offers_of(domain: Domain) -> list[ModeratedOffer]:
    offers: list[ModeratedOffer] = []
    for model in offer_models():
        if model is not Domain:
            offers += model.objects.filter(domain=domain, status=OfferStatus.PUBLISHED).order_by("pk")
    return offers


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


def pending_revisions_of(model: type[ModeratedOffer]) -> Exists:
    """Annotation for an owner's list: does the row have changes waiting for staff?"""
    return Exists(Revision.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                          object_id=OuterRef("pk"), status=RevisionStatus.PENDING))


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
    status_changed(offer, now)
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


def withdraw_deleted_owners_offers(*, user: User, now: datetime, **_signal) -> None:
    """A deleted owner's domains go back to draft (accounts.signals.account_deleted): offline,
    out of search, and nothing of theirs bookable (bookings.services checks the owner too)."""
    for domain in Domain.objects.filter(owner=user).exclude(status__in=(OfferStatus.DRAFT, OfferStatus.REJECTED)):
        Domain.objects.filter(pk=domain.pk).update(status=OfferStatus.DRAFT, submitted_at=None)
        domain.refresh_from_db()
        status_changed(domain, now)
