"""Experience rules: sessions are generated from the periods (Période de l'exercice).

A period's local start times (Europe/Paris) become UTC datetimes. Re-running changes
nothing; sessions no longer covered by a period are deleted unless places are taken —
those are kept (no longer offered) and reported to the owner (docs/product.md#experiences-periods-and-sessions)."""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.dates import PARIS
from domains.models import OfferStatus
from domains.signals import content_changed

from .models import Experience, Period, Session


@dataclass
class SessionSync:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: list[Session] = field(default_factory=list)  # booked, no longer covered by a period


def period_starts(period: Period, *, today: date) -> list[datetime]:
    """Every UTC start of the period from today on: its dates × weekdays × start times."""
    starts = []
    day = max(period.start_date, today)
    while day <= period.end_date:
        if str(day.isoweekday()) in period.weekdays:
            for slot in period.start_times:
                local = datetime.combine(day, time.fromisoformat(slot), tzinfo=PARIS)
                starts.append(local.astimezone(UTC))
        day += timedelta(days=1)
    return starts


@transaction.atomic
def generate_sessions(*, experience: Experience, today: date) -> SessionSync:
    """Make the future sessions match the periods. Past sessions are history: untouched."""
    experience = Experience.objects.select_for_update().get(pk=experience.pk)
    wanted: dict[datetime, Period] = {}
    for period in experience.periods.all():
        for start in period_starts(period, today=today):
            wanted.setdefault(start, period)
    horizon = datetime.combine(today, time.min, tzinfo=PARIS).astimezone(UTC)
    existing = {s.start: s for s in Session.objects.select_for_update().filter(experience=experience,
                                                                                start__gte=horizon)}
    duration = timedelta(minutes=experience.duration_minutes)
    sync = SessionSync()
    new = [Session(experience=experience, period=period, start=start, end=start + duration,
                   capacity=experience.capacity)
           for start, period in wanted.items() if start not in existing]
    Session.objects.bulk_create(new)
    sync.created = len(new)
    if new:  # bulk_create: no post_save
        content_changed.send(sender=Session, experience_id=experience.pk)
    for start, session in existing.items():
        if start in wanted:
            sync.updated += _refresh(session, period=wanted[start], end=start + duration,
                                     capacity=max(experience.capacity, session.places_taken))
        elif session.places_taken > 0:
            _refresh(session, period=session.period, end=session.end, capacity=session.capacity, active=False)
            sync.kept.append(session)
        elif _delete_or_withdraw(session):
            sync.removed += 1
    return sync


def _delete_or_withdraw(session: Session) -> bool:
    """Delete an unbooked session; one that past bookings still point to (expired, refused)
    is kept for their history but no longer offered."""
    try:
        with transaction.atomic():
            session.delete()
        return True
    except ProtectedError:
        _refresh(session, period=None, end=session.end, capacity=session.capacity, active=False)
        return False


def _refresh(session: Session, *, period: Period | None, end: datetime, capacity: int, active: bool = True) -> int:
    if (session.period_id, session.end, session.capacity, session.is_active) == (
            period.pk if period else None, end, capacity, active):
        return 0
    session.period, session.end, session.capacity, session.is_active = period, end, capacity, active
    session.save(update_fields=["period", "end", "capacity", "is_active"])
    return 1


def sync_sessions_if_published(*, experience: Experience, today: date) -> SessionSync:
    """Sessions exist for published experiences; a draft's periods only become sessions at publication."""
    if experience.status != OfferStatus.PUBLISHED:
        return SessionSync()
    return generate_sessions(experience=experience, today=today)


def kept_sessions_message(sync: SessionSync) -> str:
    lines = ", ".join(s.start.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") for s in sync.kept)
    return _("Ces séances ont déjà des réservations : elles sont conservées (plus proposées à la vente) : %(list)s."
             ) % {"list": lines}


def submission_problems(experience: Experience, today: date) -> list[str]:
    problems = []
    if not experience.description.strip():
        problems.append(_("Décrivez l'expérience (étape « Description »)."))
    if not experience.periods.filter(end_date__gte=today).exists():
        problems.append(_("Ajoutez au moins une période à venir (étape « Période de l'exercice ») : "
                          "sans période, l'expérience ne peut pas être proposée."))
    return problems


def sessions_for_all_published(*, today: date) -> int:
    """The daily job: keep every published experience's sessions in step with its periods."""
    count = 0
    for experience in Experience.objects.filter(status=OfferStatus.PUBLISHED, domain__status=OfferStatus.PUBLISHED):
        count += generate_sessions(experience=experience, today=today).created
    return count
