from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/domaines/<int:domain_pk>/hebergements/", views.lodging_list, name="lodging_list"),
    path("tableau-de-bord/domaines/<int:domain_pk>/hebergements/ajouter/", views.lodging_add, name="lodging_add"),
    path("tableau-de-bord/hebergements/<int:pk>/continuer/", views.lodging_continue, name="lodging_continue"),
    path("tableau-de-bord/hebergements/<int:pk>/suspensions/", views.lodging_suspensions, name="lodging_suspensions"),
    path("tableau-de-bord/hebergements/<int:pk>/suspensions/<int:suspension_pk>/supprimer/",
         views.lodging_suspension_delete, name="lodging_suspension_delete"),
    path("tableau-de-bord/hebergements/<int:pk>/etape/<slug:step>/", views.lodging_wizard_view, name="lodging_wizard"),
]
