"""`{% recent_exports "bookings" %}`: the owner's exports of a list still being prepared or
ready to download, so leaving the job page loses nothing. One query."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django import template
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.compiledsql import CompiledQuery
from exports.models import ExportFormat, ExportJob, ExportStatus

register = template.Library()


@register.inclusion_tag("exports/recent.html", takes_context=True)
def recent_exports(context, kind: str, limit: int = 5) -> dict:
    user = context["request"].user
    since = timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    jobs = ExportJob.objects.filter(owner=user, kind=kind, created_at__gte=since)[:limit]
    return {"jobs": list(jobs)}


# --- The same list for markup written from Python (bookings' « Réservations » and « Clients ») ---

_OWNER, _KIND, _SINCE = -7_301_407, "\x00kind", datetime(1901, 2, 3, tzinfo=UTC)  # sentinels found nowhere else


def _recent_jobs(owner_id, kind, since):
    return (ExportJob.objects.filter(owner_id=owner_id, kind=kind, created_at__gte=since).order_by("-created_at")
            .values_list("pk", "format", "status", "created_at")[:5])


RECENT_JOBS = CompiledQuery(_recent_jobs, sentinels=(_OWNER, _KIND, _SINCE))


@dataclass(frozen=True, slots=True)
class RecentExport:
    url: str
    format: str  # as the list writes it ("Excel")
    status: str  # translated
    created_at: datetime


def recent_export_rows(*, owner_id: int, kind: str, now: datetime) -> list[RecentExport]:
    """What `{% recent_exports kind %}` lists (its 5 latest jobs of this kind, kept
    EXPORT_RETENTION_DAYS), as plain values; one query, built once per process."""
    since = now - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    rows = RECENT_JOBS(owner_id, kind, since) if connection.vendor == "postgresql" else list(
        _recent_jobs(owner_id, kind, since))
    if not rows:
        return []
    formats, statuses = dict(ExportFormat.choices), dict(ExportStatus.choices)
    return [RecentExport(url=reverse("export_job", args=[pk]), format=str(formats.get(fmt, fmt)), status=str(statuses.get(status, status)),
                         created_at=created_at) for pk, fmt, status, created_at in rows]
