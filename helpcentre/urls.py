from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/aide/", views.owner_help, name="owner_help"),
    path("aide/", views.traveller_help, name="traveller_help"),
]
