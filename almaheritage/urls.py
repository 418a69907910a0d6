from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from accounts import views as accounts_views
from calsync import urls as calsync_urls
from payouts import urls as payouts_urls
from public import urls as public_urls

# Staff read "Alma Heritage", not "Administration de Django".
admin.site.site_header = _("Alma Heritage — administration")
admin.site.site_title = _("Administration Alma Heritage")
admin.site.index_title = _("Tableau de bord de l'équipe")

# Addresses outside the language prefix: the staff admin (French), the health probes, and
# what third parties and crawlers call at fixed addresses (iCal feeds given to other
# platforms, Stripe's webhook, robots.txt, the sitemap). Every other page is under /fr/ or
# /en/ (i18n_patterns below); its old unprefixed address redirects permanently to the
# visitor's language (core.middleware.LocaleMiddleware). docs/writing.md, "Langues".
urlpatterns = [
    # The admin login is the site login: its rate limits and second factor (accounts.views.admin_login).
    path("admin/login/", accounts_views.admin_login, name="admin_login_limited"),
    path("admin/", admin.site.urls),
    path("", include("operations.urls")),  # /healthz, /readyz
    *calsync_urls.unprefixed_urlpatterns,
    *payouts_urls.unprefixed_urlpatterns,
    *public_urls.unprefixed_urlpatterns,
    # Place suggestions and the départements map: names and shapes, the same in every language.
    path("", include("geo.urls")),  # /api/places, /carte/departements.svg
]

urlpatterns += i18n_patterns(
    # First: the pages most visitors ask for. Django tries the patterns in order and builds a
    # list of every pattern it passed, so the search page, last here, paid ~1 ms of resolving
    # (issue 14); none of these addresses is shared with another app's (almaheritage/tests/test_urls.py).
    path("", include("public.urls")),
    path("comptes/", include("allauth.urls")),
    # Before the offer apps: their "<pk>/<slug:step>/" wizard routes would swallow ".../ical/".
    path("", include("calsync.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),  # « Mes données », « Supprimer mon compte »
    path("", include("domains.urls")),
    path("", include("lodgings.urls")),
    path("", include("experiences.urls")),
    path("", include("reviews.urls")),  # before bookings: "mes-voyages/avis/" is not a booking reference
    path("", include("bookings.urls")),
    path("", include("reports.urls")),
    path("", include("bookings.urls_dashboard")),
    path("", include("exports.urls")),
    path("", include("payouts.urls")),
    path("", include("invoices.urls")),
    path("", include("helpcentre.urls")),
    path("", include("vouchers.urls")),
)

if settings.SERVE_MEDIA:
    # Development and tests only; production serves media from its web server or storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
