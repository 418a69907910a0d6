from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/domaines/<int:domain_pk>/experiences/", views.experience_list, name="experience_list"),
    path("tableau-de-bord/domaines/<int:domain_pk>/experiences/ajouter/", views.experience_add,
         name="experience_add"),
    path("tableau-de-bord/experiences/<int:pk>/continuer/", views.experience_continue, name="experience_continue"),
    path("tableau-de-bord/experiences/<int:pk>/etape/<slug:step>/", views.experience_wizard_view, name="experience_wizard"),
]
