from django.urls import path

from . import views

urlpatterns = [
    path("api/places", views.suggest, name="api_place_suggestions"),
    path("carte/departements.svg", views.departements_svg, name="departements_map"),
]
