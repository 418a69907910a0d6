"""Long lists: a worker writes the file with progress; only its owner sees or downloads it;
old files and jobs whose worker died are cleaned up."""
import csv
import io
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports import registry
from exports.models import ExportJob, ExportStatus
from exports.services import purge_old_exports, run_export_job

from .conftest import NOW, places_kind

pytestmark = pytest.mark.django_db

MINE = {"Abbaye de Fontdouce", "Moulin du Got"}


def export(client, fmt: str, kind: str = "test-domains", **params):
    return client.post(reverse("export_list", args=[kind, fmt]), params)


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def pending_job(owner, fmt: str = "csv") -> ExportJob:
    return ExportJob.objects.create(owner=owner, kind="test-domains", format=fmt, created_at=NOW,
                                    params={"q": "", "today": "2027-05-03", "language": "fr"})


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1


def downloaded_names(fmt: str, content: bytes) -> set[str]:
    if fmt == "csv":
        return {row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")} - {"Nom"}
    if fmt == "xlsx":
        return {row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)}
    text = pdf_text(content)
    return {name for name in (*MINE, "Château d'Autrui") if name in text}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_list_above_the_threshold_is_written_by_a_worker_then_downloaded(
        owner_client, domains_kind, places, small_threshold, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = export(owner_client, fmt)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_job", args=[job.pk])
    assert (job.status, job.progress, job.row_count, job.format) == (ExportStatus.DONE, 100, 2, fmt)
    page = owner_client.get(response.url).content.decode()
    download = reverse("export_download", args=[job.pk])
    assert f'href="{download}"' in page and "Votre fichier est prêt (2 lignes)" in page
    content = b"".join(owner_client.get(download).streaming_content)
    assert downloaded_names(fmt, content) == MINE


def test_a_list_at_the_threshold_still_downloads_at_once(owner_client, domains_kind, places, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    assert export(owner_client, "csv").status_code == 200 and not ExportJob.objects.exists()


def test_a_pdf_goes_to_the_worker_sooner_than_a_csv(owner_client, domains_kind, places, settings):
    # A PDF costs ~15 ms a row to lay out: its own threshold keeps requests short.
    settings.EXPORT_SYNC_MAX_ROWS_PDF = 1
    assert export(owner_client, "csv").status_code == 200
    response = export(owner_client, "pdf")
    assert response.status_code == 302 and ExportJob.objects.get().format == "pdf"


def test_the_job_page_shows_progress_while_the_worker_runs(owner_client, domains_kind, places, small_threshold):
    response = export(owner_client, "csv")  # on-commit not run: the job waits for its worker
    job = ExportJob.objects.get()
    page = owner_client.get(response.url).content.decode()
    assert "<progress" in page and "exports/progress.js" in page and "Télécharger" not in page
    assert owner_client.get(reverse("export_job_status", args=[job.pk])).json() == {
        "status": "pending", "progress": 0, "finished": False}
    assert owner_client.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(owner, domains_kind, places):
    job = pending_job(owner)
    assert run_export_job(job_id=job.pk, now=NOW).status == ExportStatus.DONE
    assert run_export_job(job_id=job.pk, now=NOW) is None
    job.refresh_from_db()
    assert job.started_at == NOW and job.file.name.endswith("/domaines-2027-05-03.csv")


def test_a_failing_export_is_marked_failed_and_says_so(owner_client, owner, places, monkeypatch):
    def broken_row(domain, params):
        raise ValueError("no amount for this domain")

    monkeypatch.setitem(registry._KINDS, "test-domains", places_kind(row=broken_row))
    job = pending_job(owner)
    run_export_job(job_id=job.pk, now=NOW)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "no amount for this domain" in job.error and not job.file
    assert "n'a pas pu être créé" in owner_client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert owner_client.get(reverse("export_job_status", args=[job.pk])).json()["finished"] is True


@pytest.mark.parametrize("name", ["export_job", "export_job_status", "export_download"])
def test_another_owner_gets_404_on_export_jobs(client, owner, other_owner, domains_kind, places, name):
    job = pending_job(owner)
    run_export_job(job_id=job.pk, now=NOW)
    client.force_login(other_owner)
    assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_another_owners_export_holds_only_their_rows(client, other_owner, domains_kind, places):
    client.force_login(other_owner)
    raw = b"".join(export(client, "csv").streaming_content)
    assert downloaded_names("csv", raw) == {"Château d'Autrui"}


def test_unknown_kind_or_format_is_404_and_get_is_refused(owner_client, domains_kind):
    assert export(owner_client, "csv", kind="payouts-secret").status_code == 404
    assert export(owner_client, "docx").status_code == 404
    assert owner_client.get(reverse("export_list", args=["test-domains", "csv"])).status_code == 405


def test_travellers_cannot_export(client, traveller, domains_kind):
    client.force_login(traveller)
    assert export(client, "csv").status_code == 302 and not ExportJob.objects.exists()


def test_old_export_files_are_purged_after_the_retention(owner, domains_kind, places, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    job = run_export_job(job_id=pending_job(owner).pk, now=NOW)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert purge_old_exports(now=NOW + timedelta(days=6)) == (0, 0)
    assert storage.exists(name)
    assert purge_old_exports(now=NOW + timedelta(days=8)) == (1, 0)
    assert not storage.exists(name) and not ExportJob.objects.exists()


def test_a_job_whose_worker_died_is_marked_failed_after_an_hour(owner):
    job = ExportJob.objects.create(owner=owner, kind="test-domains", format="pdf", created_at=NOW,
                                   status=ExportStatus.RUNNING, started_at=NOW)
    assert purge_old_exports(now=NOW + timedelta(minutes=30)) == (0, 0)
    assert purge_old_exports(now=NOW + timedelta(minutes=61)) == (0, 1)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportStatus.FAILED, "worker lost")


def test_the_purge_command_runs_the_same_function(owner, capsys):
    ExportJob.objects.create(owner=owner, kind="test-domains", format="csv", created_at=timezone.now() - timedelta(days=30),
                             status=ExportStatus.DONE)
    call_command("purge_exports")
    assert "1 export(s) deleted, 0 stuck export(s) marked failed." in capsys.readouterr().out
    assert not ExportJob.objects.exists()


def test_the_purge_is_a_beat_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "exports.tasks.purge_exports" in tasks


def test_a_money_column_sums_in_the_pdf_totals(owner_client, domains_kind, places):
    text = pdf_text(export(owner_client, "pdf").content)
    totals = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert "25,00" in totals and "€" in totals  # 2 × 12,50 €


def test_a_pdf_longer_than_one_file_comes_as_a_zip_of_parts_with_their_totals(
        owner_client, owner, domains_kind, places, settings, django_capture_on_commit_callbacks):
    """Issue 14: one document of 5,000 rows took 989 MiB in the worker. Parts of
    EXPORT_PDF_ROWS_PER_FILE rows keep the memory of one part, whatever the length."""
    import zipfile

    from domains.models import Domain

    for n in range(3):
        Domain.objects.create(owner=owner, name=f"Prieuré {n}", slug=f"prieure-{n}", heritage_kind="prieure")
    settings.EXPORT_SYNC_MAX_ROWS_PDF, settings.EXPORT_PDF_ROWS_PER_FILE = 1, 2  # 5 rows: 3 files
    with django_capture_on_commit_callbacks(execute=True):
        response = export(owner_client, "pdf")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.file.name.endswith(".zip")
    assert "réunis dans une archive ZIP" in owner_client.get(response.url).content.decode()
    download = owner_client.get(reverse("export_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert names == [f"domaines-{job.params['today']}-{n}.pdf" for n in (1, 2, 3)]
    texts = [pdf_text(archive.read(name)) for name in names]
    assert all(f"partie {n} sur 3" in text for n, text in enumerate(texts, start=1))
    assert "Abbaye de Fontdouce" in texts[0] and "Prieuré 2" in texts[2]
    assert "Total de cette partie" in texts[0] and "25,00" in texts[0]
    assert "Total de la liste" in texts[2] and "62,50" in texts[2] and "Total de la liste" not in texts[0]


def test_a_pdf_of_one_file_stays_a_plain_pdf(owner_client, domains_kind, places, settings):
    settings.EXPORT_PDF_ROWS_PER_FILE = 2
    response = export(owner_client, "pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "partie" not in pdf_text(response.content)


def test_a_pdf_too_long_is_refused_with_a_message_pointing_at_csv_and_excel(
        owner_client, domains_kind, places, settings):
    settings.EXPORT_PDF_MAX_ROWS = 1
    response = export(owner_client, "pdf", q="o")
    assert response.status_code == 302 and response.url == reverse("dashboard_domains") + "?q=o"
    assert not ExportJob.objects.exists()
    page = owner_client.get(response.url).content.decode()
    assert "Cette liste compte 2 lignes : un PDF en compte 1 au plus." in page and "CSV ou en Excel" in page
    assert export(owner_client, "csv", q="o").status_code == 200  # the same list in CSV is fine


def test_a_pdf_grown_too_long_before_its_worker_ran_fails_without_a_file(owner, domains_kind, places, settings):
    job = pending_job(owner, "pdf")
    settings.EXPORT_PDF_MAX_ROWS = 1
    run_export_job(job_id=job.pk, now=NOW)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file and "ExportTooLong" in job.error
