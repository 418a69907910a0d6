"""Exports that run in a worker: create the job, write its file with progress, purge old ones."""
import logging
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from .models import ExportJob, ExportStatus
from .registry import ExportKind, build_table, get_kind
from .writers import WRITERS, output_extension

logger = logging.getLogger(__name__)


def runs_in_worker(row_count: int, fmt: str) -> bool:
    """Short lists download at once; long ones would hold a web worker too long. A PDF
    costs far more per row (WeasyPrint lays out every page: ~15 ms a row measured, so
    2,000 rows take 40–60 s), hence its own, lower threshold."""
    limit = settings.EXPORT_SYNC_MAX_ROWS
    if fmt == "pdf":
        limit = min(limit, settings.EXPORT_SYNC_MAX_ROWS_PDF)
    return row_count > limit


class ExportTooLong(Exception):
    """A PDF of more rows than EXPORT_PDF_MAX_ROWS (the list grew after the owner asked)."""


def pdf_refused(row_count: int, fmt: str) -> bool:
    """A PDF is cut into files of EXPORT_PDF_ROWS_PER_FILE rows, so memory is bounded at any
    length; beyond EXPORT_PDF_MAX_ROWS it is refused all the same: an hour of layout for a
    document nobody prints, when the CSV or the Excel file of the same list takes seconds."""
    return fmt == "pdf" and row_count > settings.EXPORT_PDF_MAX_ROWS


def start_export(*, owner, kind: ExportKind, fmt: str, params: dict, now: datetime) -> ExportJob:
    job = ExportJob.objects.create(owner=owner, kind=kind.name, format=fmt, params=params, created_at=now)
    from .tasks import run_export  # tasks imports this module

    transaction.on_commit(lambda: run_export.delay(str(job.pk)))
    return job


def _claim(job_id, now: datetime) -> bool:
    """pending → running, once: a redelivered task finds the job taken and does nothing."""
    return ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=now, progress=0) == 1


def run_export_job(*, job_id, now: datetime) -> ExportJob | None:
    if not _claim(job_id, now):
        return None
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    kind = get_kind(job.kind)
    try:
        with translation.override(job.params.get("language") or job.owner.language):
            table = build_table(kind=kind, owner=job.owner, params=job.params)
            if pdf_refused(table.row_count, job.format):
                raise ExportTooLong(table.row_count)
            name = kind.filename(job.params)
            # A long PDF is a ZIP of parts named after the list (writers.write_pdf).
            options = {"basename": name} if job.format == "pdf" else {}
            with tempfile.TemporaryFile() as target:
                WRITERS[job.format](table, target, progress=lambda percent: _set_progress(job, percent), **options)
                target.seek(0)
                job.file.save(f"{name}.{output_extension(job.format, table.row_count)}", File(target), save=False)
    except Exception as error:  # the owner sees "failed" and can retry; staff see why
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=repr(error)[:2000],
                                                   finished_at=timezone.now())
        return job
    # Finished "now" is when the file exists, not when the task began.
    job.status, job.progress, job.row_count, job.finished_at = (ExportStatus.DONE, 100, table.row_count,
                                                                timezone.now())
    job.save(update_fields=["status", "progress", "row_count", "file", "finished_at"])
    return job


def _set_progress(job: ExportJob, percent: int) -> None:
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(progress=min(max(percent, 0), 99))


def purge_old_exports(*, now: datetime) -> tuple[int, int]:
    """Files are kept EXPORT_RETENTION_DAYS; a job running for an hour lost its worker."""
    stuck = ExportJob.objects.filter(status__in=(ExportStatus.PENDING, ExportStatus.RUNNING),
                                     created_at__lt=now - timedelta(hours=1))
    failed = stuck.update(status=ExportStatus.FAILED, error="worker lost", finished_at=now)
    old = ExportJob.objects.filter(created_at__lt=now - timedelta(days=settings.EXPORT_RETENTION_DAYS))
    deleted = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted, failed
