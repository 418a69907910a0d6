"""`{% recent_exports "bookings" %}`: the owner's exports of a list still being prepared or
ready to download, so leaving the job page loses nothing. One query."""
from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from exports.models import ExportJob

register = template.Library()


@register.inclusion_tag("exports/recent.html", takes_context=True)
def recent_exports(context, kind: str, limit: int = 5) -> dict:
    user = context["request"].user
    since = timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    jobs = ExportJob.objects.filter(owner=user, kind=kind, created_at__gte=since)[:limit]
    return {"jobs": list(jobs)}
