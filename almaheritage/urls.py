from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import views as accounts_views

urlpatterns = [
    # The admin login in the site login's rate limits (accounts.views.admin_login), before admin's own.
    path("admin/login/", accounts_views.admin_login, name="admin_login_limited"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    # Before the offer apps: their "<pk>/<slug:step>/" wizard routes would swallow ".../ical/".
    path("", include("calsync.urls")),
    path("", include("accounts.urls")),
    path("", include("domains.urls")),
    path("", include("lodgings.urls")),
    path("", include("experiences.urls")),
    path("", include("bookings.urls")),
    path("", include("bookings.urls_dashboard")),
    path("", include("exports.urls")),
    path("", include("payouts.urls")),
    path("", include("invoices.urls")),
    path("", include("vouchers.urls")),
    path("", include("public.urls")),
]

if settings.SERVE_MEDIA:
    # Development and tests only; production serves media from its web server or storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
