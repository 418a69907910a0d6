"""Backups restore: `make backup`'s dump of a database holding bookings and an invoice, plus its
media, restored by `make restore` into an empty database, and the platform, started on the
restored database, shows the owner their bookings and invoice. PostgreSQL only (pg_dump)."""
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (DATABASE_URL=postgres://…)")


def url_of(name: str) -> str:
    config = connection.settings_dict
    user = quote(config["USER"] or "")
    password = f":{quote(config['PASSWORD'])}" if config["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"


@pytest.fixture
def restored_name(postgres_only):
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = url_of("postgres")
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    yield name
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "bin" / script), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


SERVE = """
import django, sys
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
from accounts.models import User
client = Client()
client.force_login(User.objects.get(email=sys.argv[1]))
bookings = client.get("/fr/tableau-de-bord/reservations/?filtre=toutes").content.decode()
payments = client.get("/fr/tableau-de-bord/paiements/").content.decode()
pdf = client.get(f"/fr/tableau-de-bord/paiements/factures/{sys.argv[2]}.pdf")
print("|".join(ref for ref in sys.argv[3:] if ref in bookings), sys.argv[2] in payments, pdf.status_code,
      pdf.content[:4])
"""


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_an_empty_database_and_the_app_serves_it(postgres_only, owner, traveller, unit,
                                                                      restored_name, tmp_path, settings):
    from invoices.monthly import issue_invoices
    from invoices.tests.conftest import at, paid_stay

    november = date(2026, 11, 1)
    ended = paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 20))
    upcoming = paid_stay(unit=unit, traveller=traveller, arrival=date(2027, 5, 3))
    [invoice] = issue_invoices(month=november, now=at(november, 7)).invoices
    media = Path(settings.MEDIA_ROOT)
    (media / "domains").mkdir(parents=True, exist_ok=True)
    (media / "domains" / "moulin.jpg").write_bytes(b"\xff\xd8photo")
    private = tmp_path / "private"  # staff-only files: a traveller report's photo
    (private / "reports" / "1").mkdir(parents=True)
    (private / "reports" / "1" / "vase.jpg").write_bytes(b"\xff\xd8vase")

    backup = run("backup", str(tmp_path / "backups"), DATABASE_URL=url_of(connection.settings_dict["NAME"]),
                 MEDIA_ROOT=str(media), PRIVATE_MEDIA_ROOT=str(private))
    assert backup.returncode == 0, backup.stderr
    dump, media_tar, private_tar = backup.stdout.split()
    assert all(oct(os.stat(path).st_mode)[-3:] == "600" for path in (dump, media_tar, private_tar))

    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    restore = run("restore", dump, media_tar, private_tar, DATABASE_URL=url_of(restored_name),
                  MEDIA_ROOT=str(restored_media), PRIVATE_MEDIA_ROOT=str(restored_private))
    assert restore.returncode == 0, restore.stderr
    assert (restored_media / "domains" / "moulin.jpg").read_bytes() == b"\xff\xd8photo"
    assert (restored_private / "reports" / "1" / "vase.jpg").read_bytes() == b"\xff\xd8vase"

    # The platform on the restored database (a fresh process, as after a real restore).
    served = subprocess.run(
        [sys.executable, "-c", SERVE, owner.email, invoice.number, ended.reference, upcoming.reference],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": url_of(restored_name), "DJANGO_SETTINGS_MODULE": "almaheritage.settings.test"})
    assert served.returncode == 0, served.stderr[-3000:]
    found, invoice_listed, pdf_status, pdf_head = served.stdout.strip().split(" ", 3)
    assert set(found.split("|")) == {ended.reference, upcoming.reference}
    assert invoice_listed == "True" and pdf_status == "200" and pdf_head == "b'%PDF'"

    # A second restore into the now non-empty database is refused, and changes nothing.
    again = run("restore", dump, DATABASE_URL=url_of(restored_name), MEDIA_ROOT=str(restored_media))
    assert again.returncode == 65 and "restore into an empty database" in again.stderr


def test_backup_refuses_sqlite():
    result = run("backup", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode == 64 and "SQLite" in result.stderr
