from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import preview, views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("domaines/<slug:slug>/", views.domain_detail, name="domain_detail"),
    path("hebergements/<slug:slug>/", views.lodging_detail, name="lodging_detail"),
    path("experiences/<slug:slug>/", views.experience_detail, name="experience_detail"),
    path("pages/<slug:slug>/", views.page_detail, name="page_detail"),
    path("apercu/<str:kind>/<int:pk>/", preview.offer_preview, name="offer_preview"),
    path("contact/", views.contact, name="contact"),
    # The offer page's scripts: under the prefix, so their messages are in the page's language.
    path("api/units/<int:unit_id>/availability", views.unit_availability, name="api_unit_availability"),
    path("api/units/<int:unit_id>/quote", views.unit_quote, name="api_unit_quote"),
]

# Outside the language prefix (almaheritage/urls.py): files crawlers and
# browsers ask for at fixed addresses.
unprefixed_urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
]
