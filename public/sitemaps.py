from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from . import selectors
from .models import Page


class Sitemap(DjangoSitemap):
    """Absolute URLs from SITE_URL rather than the sites framework's placeholder domain; each
    page listed in French and English, each entry with its hreflang alternates (fr, en,
    x-default: French)."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "search", "contact"]

    def location(self, item):
        return reverse(item)


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.order_by("position", "slug")

    def location(self, item):
        return reverse("page_detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class DomainSitemap(Sitemap):
    def items(self):
        return selectors.published_domains().only("slug", "updated_at").order_by("id")

    def location(self, item):
        return reverse("domain_detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class LodgingSitemap(DomainSitemap):
    def items(self):
        return selectors.published_lodgings().only("slug", "updated_at").order_by("id")

    def location(self, item):
        return reverse("lodging_detail", args=[item.slug])


class ExperienceSitemap(DomainSitemap):
    def items(self):
        return selectors.published_experiences().only("slug", "updated_at").order_by("id")

    def location(self, item):
        return reverse("experience_detail", args=[item.slug])


SITEMAPS = {"static": StaticSitemap, "pages": PageSitemap, "domains": DomainSitemap, "lodgings": LodgingSitemap,
            "experiences": ExperienceSitemap}
