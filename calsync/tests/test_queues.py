"""Workers and queues (docs/calendar-sync.md#workers-and-queues): calendar sync has its own
queue, so a slow feed never delays a booking timer, and no task can hold a worker for ever."""
import pytest

from almaheritage.celery import app

EXPECTED_QUEUES = {"calsync": "calsync", "bookings": "bookings", "experiences": "bookings",
                   "exports": "exports", "payouts": "payouts", "privacy": "exports"}


def registered_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_each_task_is_routed_to_its_side():
    tasks = registered_tasks()
    assert {"calsync.tasks.sync_one_feed", "bookings.tasks.expire_bookings"} <= set(tasks)
    for name in tasks:
        app_label = name.split(".")[0]
        expected = "emails" if "mail" in name else EXPECTED_QUEUES.get(app_label, "bookings")
        assert queue_of(name) == expected, name


def test_calendar_sync_never_shares_a_queue_with_the_timers():
    assert queue_of("calsync.tasks.sync_one_feed") == queue_of("calsync.tasks.sync_calendars") == "calsync"
    assert queue_of("bookings.tasks.expire_bookings") != "calsync"


def test_the_procfile_starts_a_worker_for_calsync_and_one_for_every_other_queue():
    from pathlib import Path

    lines = (Path(__file__).resolve().parents[2] / "Procfile.dev").read_text().splitlines()
    queues = [line.split(" -Q ")[1].split()[0].split(",") for line in lines if " worker " in line and not line.startswith("#")]
    assert sorted(map(sorted, queues)) == [["bookings", "emails", "exports", "payouts"], ["calsync"]]
    all_queues = {queue.name for queue in app.conf.task_queues}
    assert all_queues == {q for qs in queues for q in qs}


@pytest.mark.parametrize("name", sorted(registered_tasks()))
def test_every_task_has_a_soft_and_a_hard_time_limit(name):
    task = app.tasks[name]
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    hard = task.time_limit or app.conf.task_time_limit
    assert soft and hard and soft < hard, name


def test_a_feed_sync_is_stopped_only_after_its_own_fetch_deadline_and_parse_budget(settings):
    task = app.tasks["calsync.tasks.sync_one_feed"]
    assert task.soft_time_limit > settings.CALSYNC_FETCH_DEADLINE + settings.CALSYNC_PARSE_BUDGET
    assert task.time_limit < 300  # well inside the feed's 5-minute lease (calsync/sync.py LEASE)
