"""Demo data of the travellers' site: the content pages (idempotent)."""
from .content import ensure_pages
from .models import Page


def seed(*, stdout) -> None:
    created = ensure_pages(Page)
    stdout.write(f"public: {created} content page(s) created")
