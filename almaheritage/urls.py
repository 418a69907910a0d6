from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from accounts.urls import placeholder_tabs

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("", include("accounts.urls")),
    *placeholder_tabs.values(),
]

if settings.SERVE_MEDIA:
    # Development and tests only; production serves media from its web server or storage.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
