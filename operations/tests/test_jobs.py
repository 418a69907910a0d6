"""Periodic jobs as staff see them: each run of a beat task recorded with its duration, outcome
and counts; one email when a job has not succeeded for twice its period, and only one per
incident; beat's schedule file keeps a monthly job from running twice across a restart, and a
second run of the month sends nothing anyway."""
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from celery.beat import PersistentScheduler
from django.conf import settings

from core import mail as core_mail
from core import tasks as core_tasks
from operations import jobs
from operations.models import JobRun, Outcome, ScheduledJob

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
EMAILS = "core.tasks.send_pending_emails"  # a beat job every minute


def test_a_beat_task_records_its_run_with_duration_outcome_and_counts():
    with time_machine.travel(T0, tick=False):
        core_tasks.send_pending_emails.delay()
    run = JobRun.objects.get()
    assert run.outcome == Outcome.SUCCESS and run.counts == {"count": 0}
    assert run.started_at == T0 and run.finished_at == T0 and run.duration_ms is not None
    job = ScheduledJob.objects.get(task=EMAILS)
    assert job.last_outcome == Outcome.SUCCESS and job.last_success_at == T0 and job.period_seconds == 60
    assert job.name == "send_pending_emails"


def test_a_failing_run_is_recorded_with_its_error_and_no_secret(monkeypatch):
    def broken(**kwargs):
        raise ConnectionError("SMTP refused for lucie.martin@example.org")

    monkeypatch.setattr(core_mail, "send_pending_emails", broken)
    with time_machine.travel(T0, tick=False), pytest.raises(ConnectionError):
        core_tasks.send_pending_emails.delay()
    run = JobRun.objects.get()
    assert run.outcome == Outcome.FAILURE
    assert run.error.startswith("ConnectionError: SMTP refused") and "lucie.martin@" not in run.error
    job = ScheduledJob.objects.get(task=EMAILS)
    assert job.last_failure_at == T0 and job.last_success_at is None


def test_a_task_beat_does_not_queue_is_not_recorded(monkeypatch):
    monkeypatch.setitem(settings.CELERY_BEAT_SCHEDULE, "send-pending-emails", {"task": "elsewhere", "schedule": 60.0})
    core_tasks.send_pending_emails.delay()
    assert not JobRun.objects.exists()


def test_counts_are_read_from_what_a_task_returns():
    from dataclasses import dataclass, field

    @dataclass
    class Report:
        sent: int = 2
        failed: list = field(default_factory=lambda: [1, 2, 3])

    assert jobs.counts_of(5) == {"count": 5}
    assert jobs.counts_of(Report()) == {"sent": 2, "failed": 3}
    assert jobs.counts_of(None) == {} and jobs.counts_of("x") == {}


def test_monthly_jobs_have_a_month_long_period():
    periods = jobs.beat_jobs()
    assert periods["payouts.tasks.run_payouts"] == timedelta(days=31)
    assert periods["bookings.tasks.expire_bookings"] == timedelta(minutes=1)


def alerts(mailoutbox):
    return [mail for mail in mailoutbox if "Tâche planifiée en retard" in mail.subject]


def test_staff_are_emailed_once_when_a_job_stops_succeeding_and_again_after_it_recovers(mailoutbox):
    with time_machine.travel(T0, tick=False):
        core_tasks.send_pending_emails.delay()
    jobs.check_jobs(now=T0 + timedelta(seconds=119))  # within twice its period: quiet
    assert [mail.subject for mail in alerts(mailoutbox) if "send_pending_emails" in mail.subject] == []

    jobs.check_jobs(now=T0 + timedelta(minutes=3))
    jobs.check_jobs(now=T0 + timedelta(minutes=30))  # the same incident: no second email
    mine = [mail for mail in alerts(mailoutbox) if "send_pending_emails" in mail.subject]
    assert len(mine) == 1
    assert mine[0].to == [settings.STAFF_INBOX_OWNERS]
    assert "n'a pas réussi" in mine[0].body and "09:00" in mine[0].body  # last success, Paris time

    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        core_tasks.send_pending_emails.delay()  # recovered: the incident is closed
    assert ScheduledJob.objects.get(task=EMAILS).alerted_at is None
    jobs.check_jobs(now=T0 + timedelta(hours=2))
    assert len([mail for mail in alerts(mailoutbox) if "send_pending_emails" in mail.subject]) == 2


def test_a_job_that_never_ran_is_reported_twice_its_period_after_monitoring_began(mailoutbox):
    jobs.check_jobs(now=T0)  # every beat job is now known, none has run
    assert alerts(mailoutbox) == []
    jobs.check_jobs(now=T0 + timedelta(hours=3))
    late = {mail.subject.rsplit(": ", 1)[1] for mail in alerts(mailoutbox)}
    # Minute, 10-minute, 15-minute, 30-minute and hourly jobs are late; daily and monthly are not.
    assert {"expire_bookings", "send_pending_emails", "retry_refunds", "end_bookings", "purge_exports"} <= late
    assert not late & {"generate_sessions", "run_payouts", "issue_invoices"}


def test_the_check_is_itself_a_beat_job_and_a_command(mailoutbox):
    from django.core.management import call_command

    assert settings.CELERY_BEAT_SCHEDULE["check-jobs"]["task"] == "operations.tasks.check_jobs"
    call_command("check_jobs")
    assert ScheduledJob.objects.filter(task="payouts.tasks.run_payouts").exists()


@pytest.mark.parametrize("task", sorted(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()))
def test_a_job_run_by_hand_is_recorded_like_the_workers_runs(task, stripe_server, capsys):
    from django.core.management import call_command

    with time_machine.travel(T0, tick=False):
        call_command(task.rsplit(".", 1)[1])
    run = JobRun.objects.get(job__task=task)
    assert run.task_id == jobs.MANUAL_TASK_ID and run.outcome == Outcome.SUCCESS and run.started_at == T0
    assert run.counts and all(isinstance(value, int) for value in run.counts.values())
    assert ScheduledJob.objects.get(task=task).last_success_at == T0
    assert capsys.readouterr().out.strip()  # and the command still says what it did


def test_a_job_that_fails_by_hand_is_recorded_as_failed(monkeypatch):
    from django.core.management import call_command

    def broken(**kwargs):
        raise RuntimeError("SMTP down")

    monkeypatch.setattr("core.management.commands.send_pending_emails.send_pending_emails", broken)
    with pytest.raises(RuntimeError):
        call_command("send_pending_emails")
    run = JobRun.objects.get(job__task=EMAILS)
    assert run.outcome == Outcome.FAILURE and run.error == "RuntimeError: SMTP down"
    assert ScheduledJob.objects.get(task=EMAILS).last_failure_at is not None


def test_old_runs_are_pruned():
    with time_machine.travel(T0, tick=False):
        core_tasks.send_pending_emails.delay()
    jobs.check_jobs(now=T0 + timedelta(days=jobs.JOB_RUN_RETENTION_DAYS + 1))
    assert not JobRun.objects.exists()
    assert ScheduledJob.objects.get(task=EMAILS).last_success_at == T0  # the job's last state stays


def test_staff_see_the_jobs_in_admin(admin_client, django_assert_max_num_queries):
    with time_machine.travel(T0, tick=False):
        core_tasks.send_pending_emails.delay()
    admin_client.get("/admin/operations/scheduledjob/")
    with django_assert_max_num_queries(12):  # a fixed number, whatever the schedule's length
        page = admin_client.get("/admin/operations/scheduledjob/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "send_pending_emails" in text and "run_payouts" in text  # never-run jobs listed too
    assert admin_client.get("/admin/operations/jobrun/").status_code == 200
    assert admin_client.get("/admin/operations/scheduledjob/add/").status_code == 403


# --- Beat across a restart ------------------------------------------------------------------------

class RecordingScheduler(PersistentScheduler):
    """Beat's own scheduler and schedule file; it notes what it would queue instead of sending."""

    producer = None

    def __init__(self, *args, **kwargs):
        self.queued: list[str] = []
        super().__init__(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        self.queued.append(entry.name)


def beat_session(path, moment) -> list[str]:
    from almaheritage.celery import app

    with time_machine.travel(moment, tick=False):
        scheduler = RecordingScheduler(app=app, schedule_filename=str(path), lazy=False)
        for _ in range(50):
            if scheduler.tick() > 0:
                break
        scheduler.close()
    return scheduler.queued


def test_beat_restarted_after_the_first_runs_the_month_once_and_not_again(tmp_path, monkeypatch):
    # Beat's schedules read the clock through their app (`current_app` when unbound): in a long
    # run another test's Celery app can be current, so pin them to the travelled clock.
    from celery.schedules import BaseSchedule
    from django.utils import timezone as django_timezone

    monkeypatch.setattr(BaseSchedule, "now", lambda self: django_timezone.now())
    path = tmp_path / "celerybeat-schedule"
    paris = datetime.fromisoformat
    assert "run-payouts" not in beat_session(path, paris("2026-11-01T05:50:00+01:00"))
    # Beat was down at 06:00 and comes back at 06:10: the missed month runs once...
    assert beat_session(path, paris("2026-11-01T06:10:00+01:00")).count("run-payouts") == 1
    # ...and a restart ten minutes later does not run it again: the schedule file remembers.
    assert "run-payouts" not in beat_session(path, paris("2026-11-01T06:20:00+01:00"))
    assert "run-payouts" not in beat_session(path, paris("2026-11-15T06:00:00+01:00"))
    assert beat_session(path, paris("2026-12-01T06:00:30+01:00")).count("run-payouts") == 1


def test_running_the_monthly_payout_task_twice_sends_one_transfer(owner, traveller, unit, stripe_server,
                                                                     mailoutbox):
    from payouts import tasks as payout_tasks
    from payouts.tests.money import onboarded, paid_stay

    account = onboarded(owner, stripe_server)
    paid_stay(unit, traveller, date(2026, 10, 28), date(2026, 10, 31))
    with time_machine.travel(datetime.fromisoformat("2026-11-01T06:00:05+01:00"), tick=False):
        payout_tasks.run_payouts.delay()
        sent_after_first = len(mailoutbox)
        payout_tasks.run_payouts.delay()
    assert len(stripe_server.transfers(destination=account.stripe_account_id)) == 1
    assert len(mailoutbox) == sent_after_first
    runs = JobRun.objects.filter(job__task="payouts.tasks.run_payouts").order_by("pk")
    # Both runs succeed and report the month's one sent payout: the second found it sent.
    assert [(run.outcome, run.counts) for run in runs] == [(Outcome.SUCCESS, {"count": 1})] * 2
