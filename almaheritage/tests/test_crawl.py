"""The crawl: the demo platform walked as a visitor, an owner and a traveller would, following
every link from the home page and the two dashboards (one page per URL name), in French and in
English, at 1280 and at 390 px. Every page answers without a server error, logs no console error,
is no wider than the screen, has no serious or critical axe-core violation, and its HTML has no
error in the Nu HTML checker (vnu.jar from npm, run once over all pages). A URL name of the
project is either reached by the crawl or listed in NOT_CRAWLED with the reason, so a new page
without a link to it, or a link to nowhere, fails here. Marked browser and slow (a few minutes)."""
import json
import shutil
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MAX_PAGES = 120  # per person and language: the demo has fewer distinct pages than this
SKIPPED_PREFIXES = ("/admin/", "/media/", "/static/", "/comptes/logout/", "/__")
FILE_SUFFIXES = (".ics", ".pdf", ".csv", ".xlsx", ".zip", ".png", ".jpg", ".webp", ".svg", ".xml", ".txt", ".json")

# URL names the crawl does not open, and why. Anything else of the project's URL conf that the
# crawl did not reach fails the completeness test: link to it, or list it here.
NOT_CRAWLED = {
    # Not pages: files, feeds, JSON, health checks, webhooks (their own tests read them).
    **dict.fromkeys(["healthz", "readyz", "robots_txt", "favicon", "sitemap", "stripe_webhook", "ical_export",
                     "trip_calendar", "invoice_pdf", "payout_statement_csv", "payout_statement_pdf",
                     "export_download", "download_data_export", "departements_map"], "a file, a feed or a webhook"),
    **dict.fromkeys(["unit_availability", "unit_quote", "api_unit_availability", "api_unit_quote",
                     "export_job_status", "data_export_status", "api_place_suggestions"], "JSON"),
    # Actions: a form's POST answered by a redirect to a crawled page (require_POST views).
    **dict.fromkeys(["booking_start", "booking_start_session", "calsync_alert_resolve", "calsync_feed_delete",
                     "calsync_feed_sync", "calsync_regenerate", "dashboard_booking_accept", "dashboard_booking_refuse",
                     "lodging_suspension_delete", "payment_without_card", "voucher_apply", "voucher_remove",
                     "request_data_export", "dashboard_review_reply", "dashboard_review_complaint", "export_list"],
                    "a POST action"),
    # Redirects to Stripe and back (the local Stripe server's pages; payouts and vouchers tests).
    **dict.fromkeys(["stripe_connect_start", "stripe_connect_refresh", "stripe_connect_return",
                     "stripe_express_dashboard", "payment_return", "voucher_order_return"], "Stripe's round trip"),
    # Pages reached after a form or from an email, not by a link (their browser journeys open them).
    "export_job": "after asking for an export (exports/tests)",
    "voucher_order": "after the gift voucher form (vouchers/tests/test_browser.py)",
    "review_write": "from the review invitation email (reviews/tests/test_browser.py)",
    "review_edit": "from « Mes avis » within 48 h of writing (reviews/tests/test_browser.py)",
    "payout_detail": "once a payout is made (invoices/tests)",
    "admin_login_limited": "Django's admin",
}


def project_url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """Every named URL of the project's own apps (Django's admin and allauth's accounts apart:
    allauth's pages are crawled through their links, but not all of them have one)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            if module.startswith(("django.", "allauth.")) or entry.app_name == "admin":
                continue
            names |= project_url_names(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            if entry.callback.__module__.startswith("django."):
                continue
            names.add(entry.name)
    return names


def login_cookie(email: str) -> dict:
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": ""}


class Crawl:
    def __init__(self, base: str, html_dir: Path):
        self.base, self.html_dir = base, html_dir
        self.problems: list[str] = []
        self.reached: set[str] = set()
        self.pages: list[tuple[str, str]] = []  # (label, path) of each page kept, for the 390 px pass

    def url_name(self, path: str) -> str | None:
        # An address under /en/ resolves only while English is active (i18n_patterns).
        prefix = path.strip("/").split("/", 1)[0]
        with translation.override(prefix if prefix in dict(settings.LANGUAGES) else None):
            try:
                match = resolve(path)
            except Resolver404:
                return None
        return match.url_name

    def links(self, page, *, language: str) -> list[str]:
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        found = []
        for href in hrefs:
            parts = urlsplit(urljoin(page.url, href))
            if f"{parts.scheme}://{parts.netloc}" != self.base:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(FILE_SUFFIXES):
                continue
            # The language links lead to the other language's crawl.
            if any(parts.path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES if code != language):
                continue
            found.append(path)
        return found

    def check(self, page, label: str, axe_check, *, width: int) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > width:
            culprits = page.evaluate(f"""[...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > {width + 2}).slice(0, 4)
                .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
            self.problems.append(f"{label} at {width} px: {overflow} px wide ({culprits})")
        try:
            axe_check(page, context=f"{label} at {width} px")
        except AssertionError as error:
            self.problems.append(str(error))

    def walk(self, page, axe_check, *, who: str, language: str, start: list[str]) -> None:
        queue, seen_names, seen_paths = deque(start), set(), set()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        first = len(self.pages)
        while queue and len(self.pages) - first < MAX_PAGES:
            path = queue.popleft()
            name = self.url_name(urlsplit(path).path)
            key = name or path
            if key in seen_names or path in seen_paths:
                continue
            seen_names.add(key)
            seen_paths.add(path)
            errors.clear()
            response = page.goto(urljoin(self.base, path))
            final = urlsplit(page.url).path
            label = f"{who}/{language} {path}" + (f" → {final}" if final != urlsplit(path).path else "")
            if response is None or response.status >= 500:
                self.problems.append(f"{label}: status {response and response.status}")
                continue
            if response.status >= 400:
                self.problems.append(f"{label}: a link to a {response.status}")
                continue
            final_name = self.url_name(final)
            if name:
                self.reached.add(name)
            if final_name:
                self.reached.add(final_name)
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            self.check(page, label, axe_check, width=1280)
            if errors:
                self.problems.append(f"{label}: console errors {errors[:3]}")
            file = self.html_dir / f"{who}-{language}-{len(self.pages):03d}.html"
            file.write_text(response.text())
            self.pages.append((label, page.url))
            for link in self.links(page, language=language):
                if link not in seen_paths:
                    queue.append(link)

    def on_a_phone(self, page, axe_check) -> None:
        page.set_viewport_size({"width": 390, "height": 844})
        for label, url in self.pages:
            page.goto(url)
            self.check(page, label, axe_check, width=390)
        page.set_viewport_size({"width": 1280, "height": 900})

    def validate_html(self) -> None:
        if not shutil.which("java"):
            pytest.fail("the Nu HTML checker needs Java (Debian's default-jre-headless, installed by make test)")
        result = subprocess.run(["java", "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                                 "--skip-non-html", str(self.html_dir)], capture_output=True, text=True, timeout=600)
        messages = json.loads(result.stderr or "{}").get("messages", [])
        labels = {self.html_dir / f"{label.split()[0].replace('/', '-')}-{index:03d}.html": label
                  for index, (label, _url) in enumerate(self.pages)}
        for message in messages:
            file = Path(urlsplit(message.get("url", "")).path)
            self.problems.append(f"HTML {labels.get(file, file.name)} line {message.get('lastLine')}: "
                                 f"{message['message']} «{message.get('extract', '')[:80]}»")


PEOPLE = {
    "visitor": (None, ["/", "experience"]),  # "experience": a published experience's page
    "owner": ("helene@demo.almaheritage.fr", ["/tableau-de-bord/", "/"]),
    "traveller": ("lucie@demo.almaheritage.fr", ["/mes-voyages/", "/"]),
}


def experience_page(language: str) -> str:
    from django.urls import reverse

    from public import selectors

    with translation.override(language):
        return reverse("experience_detail", args=[selectors.published_experiences().order_by("pk").first().slug])


@pytest.fixture
def demo(db, stripe_server):  # the payment pages talk to the local Stripe server
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_crawl_finds_every_page_right(live_server, browser, axe_check, demo, tmp_path, language):
    from accounts.models import User

    crawl = Crawl(live_server.url, tmp_path)
    User.objects.filter(email__endswith="@demo.almaheritage.fr").update(language=language)
    for who, (email, start) in PEOPLE.items():
        context = browser.new_context(locale="fr-FR" if language == "fr" else "en-GB", timezone_id="Europe/Paris",
                                      viewport={"width": 1280, "height": 900})
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        if email:
            cookies.append({**login_cookie(email), "url": live_server.url})
        context.add_cookies(cookies)
        page = context.new_page()
        start = [experience_page(language) if path == "experience" else path for path in start]
        first = len(crawl.pages)
        crawl.walk(page, axe_check, who=who, language=language, start=start)
        assert len(crawl.pages) - first >= 5, f"{who} reached only {len(crawl.pages) - first} pages"
        context.close()
    phone = browser.new_context(locale="fr-FR" if language == "fr" else "en-GB", timezone_id="Europe/Paris")
    phone_page = phone.new_page()
    for who, (email, _start) in PEOPLE.items():
        phone.clear_cookies()
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        if email:
            cookies.append({**login_cookie(email), "url": live_server.url})
        phone.add_cookies(cookies)
        mine = Crawl(live_server.url, tmp_path)
        mine.pages = [(label, url) for label, url in crawl.pages if label.startswith(f"{who}/")]
        mine.on_a_phone(phone_page, axe_check)
        crawl.problems += mine.problems
    phone.close()
    crawl.validate_html()
    missing = project_url_names() - crawl.reached - set(NOT_CRAWLED)
    if missing:
        crawl.problems.append("URL names no link leads to (link to them, or list them in NOT_CRAWLED with the "
                              "reason): " + ", ".join(sorted(missing)))
    assert not crawl.problems, f"{len(crawl.problems)} problem(s) on {len(crawl.pages)} pages:\n" + \
        "\n".join(crawl.problems)
