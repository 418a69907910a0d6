from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/domaines/", views.domain_list, name="dashboard_domains"),
    path("tableau-de-bord/domaines/ajouter/", views.domain_add, name="domain_add"),
    path("tableau-de-bord/domaines/<int:pk>/continuer/", views.domain_continue, name="domain_continue"),
    path("tableau-de-bord/domaines/<int:pk>/etape/<slug:step>/", views.domain_wizard_view, name="domain_wizard"),
    path("tableau-de-bord/labels/proposer/", views.label_propose, name="label_propose"),
]
