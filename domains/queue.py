"""The moderation queue: every offer and revision waiting for staff, with its age in
business days (French public holidays excluded) and whether it is overdue. The offer
models are the registered offer types (`domains.offer_types`)."""
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.urls import reverse

from .business_days import business_age
from .models import OfferStatus, Revision, RevisionStatus
from .offer_types import offer_models, offer_name, offer_owner


@dataclass
class QueueRow:
    kind: str
    name: str
    owner: str
    submitted_at: datetime
    age: int
    overdue: bool
    url: str
    is_revision: bool
    key: str  # "<app_label>.<model_name>:<pk>" for the queue's approve / reject buttons


def moderation_queue(*, now: datetime) -> list[QueueRow]:
    rows = []
    for model, owner_path in offer_models().items():
        for offer in model.objects.filter(status=OfferStatus.SUBMITTED).select_related(owner_path):
            rows.append(_row(offer, offer.submitted_at, now=now, url=_admin_url(offer), is_revision=False,
                             key=_key(offer)))
    revisions = (Revision.objects.filter(status=RevisionStatus.PENDING, submitted_at__isnull=False)
                 .prefetch_related("offer"))
    for revision in revisions:
        if revision.offer is not None:
            rows.append(_row(revision.offer, revision.submitted_at, now=now, url=_admin_url(revision),
                             is_revision=True, key=_key(revision)))
    return sorted(rows, key=lambda row: row.submitted_at)


def _row(offer, since: datetime, *, now: datetime, url: str, is_revision: bool, key: str) -> QueueRow:
    age = business_age(since, now=now) or 0
    return QueueRow(kind=str(offer._meta.verbose_name), name=offer_name(offer), owner=str(offer_owner(offer)),
                    submitted_at=since, age=age, overdue=age > settings.MODERATION_DELAY_BUSINESS_DAYS,
                    url=url, is_revision=is_revision, key=key)


def _admin_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _key(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def find_item(key: str):
    """The waiting offer or revision a queue button names, or None."""
    try:
        label, pk = key.split(":")
        model = apps.get_model(label)
    except (ValueError, LookupError):
        return None
    if model is not Revision and model not in offer_models():
        return None
    return model.objects.filter(pk=pk).first() if pk.isdigit() else None
