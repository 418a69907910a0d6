from django.shortcuts import render
from django.urls import path

from almaheritage.urls import urlpatterns as site_urlpatterns


def minimal(request):
    """The yardstick: a Django view rendering a small template, no database."""
    return render(request, "bench/minimal.html", {"items": range(10)})


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]
