"""A periodic job run by hand is recorded like beat's runs. Its same-named management command
is a `JobCommand`: the work runs inside `recorded(task)`, and the app that keeps the record
(operations, at the top of the graph) registers itself here, so no app below it imports it."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand


@dataclass
class Run:
    """What the recorder reads when the work is done: its result, counted like a task's."""
    result: Any = None


_recorder: Callable[[str, Run], AbstractContextManager] | None = None


def register_recorder(recorder: Callable[[str, Run], AbstractContextManager]) -> None:
    global _recorder
    _recorder = recorder


@contextmanager
def recorded(task: str) -> Iterator[Run]:
    run = Run()
    with (_recorder(task, run) if _recorder else nullcontext()):
        yield run


class JobCommand(BaseCommand):
    """The command of the beat task `<app>.tasks.<command name>`: `run_job` does the work and
    returns what the task would (the record's counts); `report` prints it."""

    def task_name(self) -> str:
        app, *_middle, command = type(self).__module__.split(".")
        return f"{app}.tasks.{command}"

    def run_job(self, **options) -> Any:
        raise NotImplementedError

    def report(self, result: Any) -> str:
        return str(result)

    def handle(self, *args, **options) -> None:
        with recorded(self.task_name()) as run:
            run.result = self.run_job(**options)
        self.stdout.write(self.report(run.result))
