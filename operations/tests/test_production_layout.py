"""The production files agree with each other and with the settings: every Celery queue has
exactly one worker type, there is one beat, the image runs without privileges and carries
WeasyPrint's libraries, compose starts every process. When Docker is available the image is
built and started too; on a machine without it (most development machines) that test skips."""
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def worker_queues(command: str) -> set[str]:
    match = re.search(r"\s-Q\s+(\S+)", command)
    return set(match.group(1).split(",")) if match else set()


def compose_services() -> dict[str, str]:
    """{service: its block}: the keys two spaces under `services:` (no YAML parser in base.txt)."""
    text = (ROOT / "compose.yaml").read_text()
    body = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"^  (?=[\w-]+:\n)", body, flags=re.M)
    return {block.split(":", 1)[0]: block for block in blocks if block.strip() and not block.startswith(" ")}


def test_every_queue_the_settings_route_to_has_exactly_one_worker_type():
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    wanted = routed | declared | {settings.CELERY_TASK_DEFAULT_QUEUE}
    consumed = [queue for command in procfile().values() if " worker " in command for queue in worker_queues(command)]
    assert sorted(consumed) == sorted(wanted)  # each once: no queue forgotten, none shared


def test_there_is_exactly_one_beat_and_a_web_process_on_gunicorn():
    processes = procfile()
    assert [name for name, command in processes.items() if " beat" in command] == ["beat"]
    assert processes["web"].startswith("gunicorn almaheritage.wsgi ")
    # Beat's schedule file lives in ALMA_VAR_DIR, a volume in the image: a restart keeps it.
    assert "--schedule=${ALMA_VAR_DIR" in processes["beat"]


def test_the_image_is_multi_stage_runs_as_a_user_and_carries_weasyprint_libraries():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+\S+", text, flags=re.M)
    assert len(stages) >= 2
    final = text.rsplit("\nFROM ", 1)[1]
    users = re.findall(r"^USER\s+(\S+)", final, flags=re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in final
    assert "DJANGO_SETTINGS_MODULE=almaheritage.settings.production" in final
    assert 'ENTRYPOINT ["bin/run-process"]' in final


def test_compose_starts_every_process_with_postgres_and_redis():
    services = compose_services()
    assert {"postgres", "redis"} <= set(services)
    for name in procfile():
        assert name in services, name
        assert f'command: ["{name}"]' in services[name]
    assert "replicas: 1" in services["beat"]


def test_run_process_starts_the_procfile_line_and_refuses_an_unknown_name(tmp_path):
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin" / "run-process", tmp_path / "bin" / "run-process")
    (tmp_path / "Procfile").write_text("# a comment\nhello: echo hello ${WHO:-nobody} from $(pwd)\n"
                                       "hello-world: echo wrong line\n")
    result = subprocess.run([str(tmp_path / "bin" / "run-process"), "hello"], capture_output=True, text=True,
                            env={**os.environ, "WHO": "beat"}, cwd="/")
    assert result.returncode == 0 and result.stdout.strip() == f"hello beat from {tmp_path}"
    result = subprocess.run([str(ROOT / "bin" / "run-process"), "no-such-process"], capture_output=True, text=True)
    assert result.returncode == 64 and "no process 'no-such-process'" in result.stderr


def _docker_ready() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


@pytest.mark.slow
def test_the_image_builds_and_serves_healthz():
    if not _docker_ready():
        pytest.skip("docker is not available on this machine (no docker command or no daemon): "
                    "the image is checked statically above")
    tag = "almaheritage:test"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1800)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {"SECRET_KEY": "x" * 60, "STRIPE_SECRET_KEY": "sk", "STRIPE_PUBLISHABLE_KEY": "pk",
           "STRIPE_WEBHOOK_SECRET": "wh", "DATABASE_URL": "sqlite:////srv/alma/var/db.sqlite3",
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    args = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    container = subprocess.run(["docker", "run", "-d", "--rm", "-p", f"127.0.0.1:{port}:8000", *args, tag, "web"],
                               check=True, capture_output=True, text=True).stdout.strip()
    try:
        uid = subprocess.run(["docker", "exec", container, "id", "-u"], capture_output=True, text=True).stdout
        assert uid.strip() != "0"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True, env={**os.environ})


PRODUCTION_ENV = {"SECRET_KEY": "p" * 60, "STRIPE_SECRET_KEY": "sk_live_x", "STRIPE_PUBLISHABLE_KEY": "pk_live_x",
                  "STRIPE_WEBHOOK_SECRET": "whsec_x", "DJANGO_SETTINGS_MODULE": "almaheritage.settings.production"}


def production_setting(expression: str, **env: str) -> str:
    """A production setting as a fresh process sees it with this environment."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("AWS_", "STRIPE_", "SECRET_KEY", "CALSYNC_", "DJANGO_"))}
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run([os.sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**clean, **PRODUCTION_ENV, **env}, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def test_media_stay_on_disk_unless_a_bucket_is_named():
    assert production_setting("settings.STORAGES['default']['BACKEND']") == \
        "django.core.files.storage.FileSystemStorage"
    assert production_setting("settings.STORAGES['staticfiles']['BACKEND']") == \
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    options = production_setting("sorted(settings.STORAGES['default'].items())",
                                 AWS_STORAGE_BUCKET_NAME="alma-media", AWS_S3_ENDPOINT_URL="https://s3.example.org")
    assert "storages.backends.s3.S3Storage" in options
    assert "'bucket_name': 'alma-media'" in options and "'endpoint_url': 'https://s3.example.org'" in options
