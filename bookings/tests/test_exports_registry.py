"""The exports app is generic: any app registers a kind (payouts, invoices…) and gets the three
formats, the worker path and the owner-only downloads without writing a writer."""
import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from domains.models import Domain
from exports import registry
from exports.models import ExportJob, ExportStatus
from exports.registry import Column, ExportKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def domains_kind(monkeypatch):
    kind = ExportKind(
        name="test-domains", tab="domains", back_url="dashboard_domains",
        columns=(Column("Nom"), Column("Montant", "money", total=True)),
        parse_params=lambda query, today: {"q": query.get("q", "")},
        queryset=lambda owner, params: Domain.objects.filter(owner=owner, name__icontains=params["q"]).order_by("name"),
        row=lambda domain, params: [domain.name, Decimal("12.50")],
        title=lambda params: "Domaines", filename=lambda params: "domaines")
    monkeypatch.setitem(registry._KINDS, kind.name, kind)
    return kind


@pytest.fixture
def places(owner, other_owner):
    for name, who in (("Abbaye de Fontdouce", owner), ("Moulin du Got", owner), ("Château d'Autrui", other_owner)):
        Domain.objects.create(owner=who, name=name, slug=name.lower().replace(" ", "-").replace("'", ""),
                              heritage_kind="chateau")


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


def test_a_registered_kind_runs_in_the_worker_too(owner_client, domains_kind, places, settings,
                                                  django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("export_list", args=["test-domains", "csv"]))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.row_count == 2 and job.file.name.endswith("/domaines.csv")


def test_purge_command_runs_the_same_function(owner, capsys):
    call_command("purge_exports")
    assert "0 export(s) deleted, 0 stuck export(s) marked failed." in capsys.readouterr().out


def test_a_job_whose_worker_died_is_marked_failed_after_an_hour(owner):
    from datetime import UTC, datetime, timedelta

    from exports.services import purge_old_exports

    started = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
    job = ExportJob.objects.create(owner=owner, kind="bookings", format="pdf", created_at=started,
                                   status=ExportStatus.RUNNING, started_at=started)
    assert purge_old_exports(now=started + timedelta(minutes=30)) == (0, 0)
    assert purge_old_exports(now=started + timedelta(minutes=61)) == (0, 1)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
