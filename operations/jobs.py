"""Each periodic job's runs, recorded from Celery's signals for the tasks beat queues
(CELERY_BEAT_SCHEDULE), and the alert when one has not succeeded for twice its period
(docs/operations.md#periodic-jobs). Nothing here knows what a job does: the counts are what
its task returns (an int, a dict of ints, or a dataclass of them)."""
from __future__ import annotations

import dataclasses
import logging
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

from celery.schedules import crontab
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.jobruns import Run
from core.logs import mask

from .models import JobRun, Outcome, ScheduledJob

log = logging.getLogger(__name__)
JOB_RUN_RETENTION_DAYS = 30
_running: dict[str, tuple[int, float]] = {}  # task id → (JobRun id, monotonic start)
_errors: dict[str, str] = {}


def period_of(schedule) -> timedelta:
    """Seconds between two runs; for a crontab, the longest gap over the next year of runs
    (31 days for a monthly job), so "twice the period" never fires on a short month."""
    if isinstance(schedule, int | float):
        return timedelta(seconds=schedule)
    if isinstance(schedule, timedelta):
        return schedule
    if isinstance(schedule, crontab):
        moment = datetime(2026, 1, 1, tzinfo=schedule.tz)
        runs = []
        for _ in range(14):
            last, delta, _now = schedule.remaining_delta(moment)
            moment = last + delta  # celery's ffwd: the next matching time at or after `last`
            runs.append(moment)
            moment = moment + timedelta(minutes=1)
        return max(later - earlier for earlier, later in zip(runs, runs[1:], strict=False))
    return timedelta(seconds=schedule.run_every.total_seconds())


def beat_jobs() -> dict[str, timedelta]:
    """{task name: period} of every beat entry."""
    return {entry["task"]: period_of(entry["schedule"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def counts_of(result) -> dict:
    if isinstance(result, bool) or result is None:
        return {}
    if isinstance(result, int):
        return {"count": result}
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    if isinstance(result, dict):
        return {str(key): value if isinstance(value, int | float) else len(value) for key, value in result.items()
                if isinstance(value, int | float | list | tuple | set | dict)}
    return {}


def _job(task: str, now: datetime) -> ScheduledJob:
    period = beat_jobs().get(task, timedelta(0))
    job, _created = ScheduledJob.objects.get_or_create(
        task=task, defaults={"period_seconds": int(period.total_seconds()), "first_seen_at": now})
    return job


def started(*, task: str, task_id: str, now: datetime) -> JobRun:
    job = _job(task, now)
    ScheduledJob.objects.filter(pk=job.pk).update(last_started_at=now, last_outcome=Outcome.RUNNING)
    return JobRun.objects.create(job=job, task_id=task_id, started_at=now)


def finished(*, run_id: int, success: bool, duration_ms: int, counts: dict, error: str, now: datetime) -> None:
    outcome = Outcome.SUCCESS if success else Outcome.FAILURE
    error = mask(error)[:500]
    with transaction.atomic():
        run = JobRun.objects.select_related("job").get(pk=run_id)
        JobRun.objects.filter(pk=run_id).update(finished_at=now, duration_ms=duration_ms, outcome=outcome,
                                                counts=counts, error=error)
        changes = {"last_outcome": outcome, "last_duration_ms": duration_ms, "last_counts": counts}
        if success:
            changes |= {"last_success_at": now, "alerted_at": None}
        else:
            changes |= {"last_failure_at": now, "last_error": error}
        ScheduledJob.objects.filter(pk=run.job_id).update(**changes)
    log.info("job %s %s in %d ms", run.job.name, outcome, duration_ms,
             extra={"job": run.job.name, "outcome": str(outcome), "duration_ms": duration_ms, "counts": counts})


# --- Celery signals --------------------------------------------------------------------------

def _on_prerun(task_id=None, task=None, **kwargs) -> None:
    if task is None or task.name not in beat_jobs():
        return
    run = started(task=task.name, task_id=task_id or "", now=timezone.now())
    _running[task_id or ""] = (run.pk, time.monotonic())


def _on_failure(task_id=None, exception=None, **kwargs) -> None:
    if (task_id or "") in _running:
        _errors[task_id or ""] = f"{type(exception).__name__}: {exception}"


def _on_postrun(task_id=None, task=None, retval=None, state=None, **kwargs) -> None:
    entry = _running.pop(task_id or "", None)
    if entry is None:
        return
    run_id, began = entry
    error = _errors.pop(task_id or "", "")
    if state is None and not error:
        # An eager task that raised (tests, CELERY_TASK_EAGER_PROPAGATES): Celery re-raises before
        # task_failure and sends postrun from a `finally`, so the exception is still in flight.
        in_flight = sys.exc_info()[1]
        error = f"{type(in_flight).__name__}: {in_flight}" if in_flight else "unknown"
    success = state == "SUCCESS"
    finished(run_id=run_id, success=success, duration_ms=round((time.monotonic() - began) * 1000),
             counts=counts_of(retval) if success else {}, error=error or ("" if success else str(state)),
             now=timezone.now())


MANUAL_TASK_ID = "commande manuelle"


@contextmanager
def manual_run(task: str, run: Run):
    """A job's management command run by hand (core.jobruns.JobCommand): recorded like a
    worker's run, its task id saying so."""
    record = started(task=task, task_id=MANUAL_TASK_ID, now=timezone.now())
    began = time.monotonic()
    try:
        yield
    except BaseException as error:
        finished(run_id=record.pk, success=False, duration_ms=round((time.monotonic() - began) * 1000), counts={},
                 error=f"{type(error).__name__}: {error}", now=timezone.now())
        raise
    finished(run_id=record.pk, success=True, duration_ms=round((time.monotonic() - began) * 1000),
             counts=counts_of(run.result), error="", now=timezone.now())


def connect_signals() -> None:
    from celery.signals import task_failure, task_postrun, task_prerun

    task_prerun.connect(_on_prerun, weak=False, dispatch_uid="alma-jobs-prerun")
    task_failure.connect(_on_failure, weak=False, dispatch_uid="alma-jobs-failure")
    task_postrun.connect(_on_postrun, weak=False, dispatch_uid="alma-jobs-postrun")


def _paris(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else "jamais"


def _alert_text(job: ScheduledJob) -> str:
    return (f"La tâche planifiée {job.name} ({job.task}) n'a pas réussi depuis plus de deux fois sa période "
            f"({timedelta(seconds=job.period_seconds)}).\n"
            f"Dernier succès : {_paris(job.last_success_at)} ; dernier échec : {_paris(job.last_failure_at)}\n"
            f"Dernière erreur : {job.last_error or '—'}\n"
            "Voir l'administration > Exploitation > Tâches planifiées, et docs/operations.md#runbook. "
            "Ce message n'est envoyé qu'une fois par incident.\n")


# --- The alert ---------------------------------------------------------------------------------

def known_jobs(*, now: datetime) -> list[ScheduledJob]:
    """Every job of the schedule, its row created the first time it is seen (the clock of a
    job that never runs starts then) and its period kept in step with the settings; a fixed
    number of queries whatever the schedule."""
    periods = {task: int(period.total_seconds()) for task, period in beat_jobs().items()}
    ScheduledJob.objects.bulk_create([ScheduledJob(task=task, period_seconds=seconds, first_seen_at=now)
                                      for task, seconds in periods.items()], ignore_conflicts=True)
    jobs = list(ScheduledJob.objects.filter(task__in=periods))
    changed = [job for job in jobs if job.period_seconds != periods[job.task]]
    for job in changed:
        job.period_seconds = periods[job.task]
    if changed:
        ScheduledJob.objects.bulk_update(changed, ["period_seconds"])
    return jobs


def overdue(*, now: datetime) -> list[ScheduledJob]:
    """Jobs whose last success (or, never having succeeded, their first sighting) is older than
    twice their period."""
    return [job for job in known_jobs(now=now)
            if now - (job.last_success_at or job.first_seen_at) > 2 * timedelta(seconds=job.period_seconds)]


def check_jobs(*, now: datetime) -> int:
    """Email staff once per incident about each job that stopped succeeding; prune old runs.
    Returns how many alerts were sent."""
    sent = 0
    for job in overdue(now=now):
        # Compare-and-set: two checkers at once still send one email.
        if not ScheduledJob.objects.filter(pk=job.pk, alerted_at__isnull=True).update(alerted_at=now):
            continue
        send_mail(f"[Alma Heritage] Tâche planifiée en retard : {job.name}", _alert_text(job), None,
                  [settings.STAFF_INBOX_OWNERS])
        log.warning("job %s has not succeeded for twice its period", job.name, extra={"job": job.name})
        sent += 1
    JobRun.objects.filter(started_at__lt=now - timedelta(days=JOB_RUN_RETENTION_DAYS)).delete()
    return sent
