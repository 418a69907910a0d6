"""A person's data: the "Mes données" export (asked, built by a worker, downloaded for 24 h,
purged) and the deletion of the account (refused while something is open, else one
transaction of privacy.sections.DELETION_STEPS). docs/privacy.md says what each does."""
import csv
import io
import json
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.mail import render_text, send_in_language
from core.models import OutgoingEmail

from . import sections
from .models import OPEN_STATUSES, DataExport, DataExportStatus, FarewellEmail

log = logging.getLogger(__name__)

# Asking again is refused while one is being built, and beyond this many a day (each ZIP
# reads every table about the person: cheap, but not to be run in a loop).
EXPORTS_PER_DAY = 3
STUCK_AFTER = timedelta(hours=1)  # a build still running after this lost its worker


class PrivacyError(Exception):
    """An expected refusal, with a message for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Export ------------------------------------------------------------------------------

def request_export(*, user: User, now: datetime) -> DataExport:
    if DataExport.objects.filter(user=user, status__in=OPEN_STATUSES).exists():
        raise PrivacyError(_("Un export est déjà en préparation : il sera prêt dans quelques minutes."))
    if DataExport.objects.filter(user=user, created_at__gt=now - timedelta(days=1)).count() >= EXPORTS_PER_DAY:
        raise PrivacyError(_("Vous avez déjà demandé %(count)s exports en 24 heures : réessayez demain.")
                           % {"count": EXPORTS_PER_DAY})
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, created_at=now)
    except IntegrityError:  # a double click: the constraint keeps one open export
        raise PrivacyError(_("Un export est déjà en préparation : il sera prêt dans quelques minutes.")) from None
    from .tasks import build_data_export  # tasks imports this module

    transaction.on_commit(lambda: build_data_export.delay(str(export.pk)))
    return export


def latest_export(user: User) -> DataExport | None:
    """The page shows the newest export only: a failed one says so, an expired one too."""
    return DataExport.objects.filter(user=user).first()


def _claim(export_id, now: datetime) -> bool:
    """pending → building, once: a redelivered task finds it taken and does nothing."""
    return DataExport.objects.filter(pk=export_id, status=DataExportStatus.PENDING).update(
        status=DataExportStatus.BUILDING, started_at=now, progress=0) == 1


def _set_progress(export: DataExport, percent: int) -> None:
    DataExport.objects.filter(pk=export.pk, status=DataExportStatus.BUILDING).update(
        progress=min(max(percent, 0), 99))


def _csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or ["empty"], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: ("; ".join(map(str, value)) if isinstance(value, list | tuple) else value)
                         for key, value in row.items()})
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8


def write_zip(user: User, target, *, progress=lambda percent: None, now: datetime | None = None) -> None:
    """data.json (every section), one CSV per section and a LISEZMOI.txt, in the person's language."""
    data: dict[str, object] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        total = len(sections.EXPORT_SECTIONS)
        for index, section in enumerate(sections.EXPORT_SECTIONS):
            rows = section.rows(user)
            data[section.name] = rows
            archive.writestr(f"{section.name}.csv", _csv(json.loads(json.dumps(rows, cls=DjangoJSONEncoder))))
            progress(int((index + 1) * 90 / total))
        archive.writestr("data.json", json.dumps({"generated_at": (now or timezone.now()).isoformat(),
                                                  "account_id": user.pk, **data},
                                                 cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        archive.writestr("LISEZMOI.txt", render_text("privacy/readme.txt", {
            "user": user, "sections": sections.EXPORT_SECTIONS, "now": now or timezone.now()}))


def build_export(*, export_id, now: datetime) -> DataExport | None:
    if not _claim(export_id, now):
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        with translation.override(export.user.language), tempfile.TemporaryFile() as target:
            write_zip(export.user, target, progress=lambda percent: _set_progress(export, percent), now=now)
            export.size = target.tell()
            target.seek(0)
            export.file.save(f"alma-heritage-mes-donnees-{timezone.localdate(now):%Y-%m-%d}.zip", File(target),
                             save=False)
    except Exception as error:  # the person sees "failed" and may ask again; staff see why
        log.exception("data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(status=DataExportStatus.FAILED, error=repr(error)[:2000],
                                                       finished_at=timezone.now())
        return export
    finished = timezone.now()
    export.status, export.progress, export.finished_at = DataExportStatus.READY, 100, finished
    export.expires_at = finished + timedelta(hours=settings.PRIVACY_EXPORT_HOURS)
    export.save(update_fields=["status", "progress", "file", "size", "finished_at", "expires_at"])
    return export


def purge_data_exports(*, now: datetime) -> tuple[int, int]:
    """Files past their 24 h are deleted (the row stays "expired" so the page can say so);
    builds stuck for an hour are marked failed. Returns (expired, failed)."""
    failed = DataExport.objects.filter(status__in=OPEN_STATUSES, created_at__lt=now - STUCK_AFTER).update(
        status=DataExportStatus.FAILED, error="worker lost", finished_at=now)
    expired = 0
    for export in DataExport.objects.filter(status=DataExportStatus.READY, expires_at__lte=now).iterator():
        if export.file:
            export.file.delete(save=False)
        DataExport.objects.filter(pk=export.pk).update(status=DataExportStatus.EXPIRED, file="")
        expired += 1
    # Failed builds may have left a partial file; their rows go after a day.
    for export in DataExport.objects.filter(status=DataExportStatus.FAILED, created_at__lt=now - timedelta(days=1)):
        if export.file:
            export.file.delete(save=False)
        export.delete()
    _delete_sent_farewells()
    return expired, failed


# --- Deletion ----------------------------------------------------------------------------

def pseudonym(user: User) -> str:
    """What accounting records and staff's history show instead of the person."""
    return f"Compte supprimé n° {user.pk}"


def deleted_email(user: User) -> str:
    return f"deleted-{user.pk}@deleted.invalid"  # the one accounts.services.delete_account writes


def deletion_problems(*, user: User, now: datetime) -> list[str]:
    """Why the account cannot be deleted now (empty: it can)."""
    return [problem for blocker in sections.DELETION_BLOCKERS for problem in blocker(user, now)]


@dataclass(frozen=True)
class DeletionResult:
    counts: dict[str, int]


def delete_person(*, user: User, now: datetime) -> DeletionResult:
    """Everything in sections.DELETION_STEPS in one transaction, after checking the blockers
    again under the account's row lock; the confirmation email leaves once it commits, to
    the address the person had (then its copy is deleted from the outbox)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if problems := deletion_problems(user=user, now=now):
            raise PrivacyError(" ".join(problems))
        email, language, first_name = user.email, user.language, user.first_name
        ctx = sections.DeletionContext(user=user, now=now, email=email, pseudonym=pseudonym(user),
                                       deleted_email=deleted_email(user), counts={})
        for step in sections.DELETION_STEPS:
            step.run(ctx)
        transaction.on_commit(lambda: _send_farewell(email=email, language=language, first_name=first_name))
    log.info("account %s deleted by its holder: %s", user.pk, ctx.counts)
    return DeletionResult(counts=ctx.counts)


def _send_farewell(*, email: str, language: str, first_name: str) -> None:
    def build():
        return _("Votre compte Alma Heritage est supprimé"), {"first_name": first_name}

    send_in_language(to=email, language=language, template="privacy/emails/account_deleted", build=build)
    # The outbox keeps no copy naming the person once it has left; one the mail server
    # refused for now is retried, remembered, and deleted by the hourly purge once sent.
    for outgoing in OutgoingEmail.objects.annotate(recipients=Cast("to", TextField())).filter(
            recipients__icontains=email):
        if outgoing.sent_at is not None:
            outgoing.delete()
        else:
            FarewellEmail.objects.get_or_create(email=outgoing)


def _delete_sent_farewells() -> int:
    sent = OutgoingEmail.objects.filter(farewell__isnull=False, sent_at__isnull=False)
    return sent.delete()[0]
