"""The exports app is generic: any app registers a kind (payouts, invoices…) and gets the three
formats, the worker path and the owner-only downloads without writing a writer."""
import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports import registry
from exports.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db


def test_a_registered_kind_exports_in_every_format(owner_client, domains_kind, places):
    url = reverse("export_list", args=["test-domains", "csv"])
    raw = b"".join(owner_client.post(url).streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(raw), delimiter=";")) == [
        ["Nom", "Montant"], ["Abbaye de Fontdouce", "12,50"], ["Moulin du Got", "12,50"]]
    sheet = load_workbook(io.BytesIO(owner_client.post(reverse("export_list", args=["test-domains", "xlsx"]),
                                                       {"q": "moulin"}).content)).active
    assert list(sheet.iter_rows(values_only=True)) == [("Nom", "Montant"), ("Moulin du Got", 12.5)]
    pdf = owner_client.post(reverse("export_list", args=["test-domains", "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_short_list_downloads_at_once_under_the_kinds_filename(owner_client, domains_kind, places):
    today = timezone.localdate().isoformat()
    response = owner_client.post(reverse("export_list", args=["test-domains", "xlsx"]))
    assert response.status_code == 200 and not ExportJob.objects.exists()
    assert response["Content-Disposition"] == f'attachment; filename="domaines-{today}.xlsx"'


def test_a_registered_kind_runs_in_the_worker_too(owner_client, domains_kind, places, settings,
                                                  django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("export_list", args=["test-domains", "csv"]))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.row_count == 2 and job.file.name.endswith(".csv")


def test_the_registry_answers_only_registered_names(domains_kind):
    assert registry.get_kind("test-domains") is domains_kind
    assert registry.get_kind("payouts-secret") is None


def test_a_table_holds_the_owners_rows_only(owner, domains_kind, places):
    table = registry.build_table(kind=domains_kind, owner=owner, params={"q": ""}, chunk_size=1)
    assert (table.title, table.owner_name, table.row_count, table.count_label) == (
        "Domaines", "Hélène Duval", 2, "2 domaines")
    assert [row[0] for row in table.rows] == ["Abbaye de Fontdouce", "Moulin du Got"]
