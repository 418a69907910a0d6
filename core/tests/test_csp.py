"""The Content-Security-Policy header and the templates it governs."""
import re
from pathlib import Path

from django.conf import settings

from core.content_security import configured_sources, origin

# Emails are read in mail clients, the PDF export by WeasyPrint: neither is served under CSP.
NOT_SERVED = re.compile(r"/emails?/|exports/pdf\.html$|_pdf\.html$")  # emails and PDFs are never served under CSP


def served_templates():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    for root in roots:
        if ".venv" in root.parts or "node_modules" in root.parts:
            continue
        for path in root.rglob("*.html"):
            if not NOT_SERVED.search(path.as_posix()):
                yield path


def test_no_served_template_has_an_inline_script_style_or_handler():
    found = []
    for path in served_templates():
        text = path.read_text()
        for pattern in (r"\sstyle=", r"<style", r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)",
                        r"\son[a-z]+=\"", r"javascript:"):
            found += [f"{path}: {match.group(0)}" for match in re.finditer(pattern, text)]
    assert not found, "\n".join(found)


def test_every_page_carries_the_policy_without_unsafe_inline(client, db):
    policy = client.get("/robots.txt").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_the_origins_our_settings_name_are_allowed_and_nothing_else(settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = "https://api.stripe.com"
    settings.MAP_TILES_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    sources = configured_sources()
    assert "https://js.stripe.com" in sources["script-src"] and "https://js.stripe.com" in sources["frame-src"]
    assert "https://api.stripe.com" in sources["connect-src"]
    assert sources["img-src"] == ["https://*.tile.openstreetmap.org"]
    settings.MAP_TILES_URL = ""
    assert "img-src" not in configured_sources()
    assert origin("/relative/path") == "" and origin("http://127.0.0.1:8420/js.stripe.com/v3/") == "http://127.0.0.1:8420"
