from django.urls import path

from . import views

urlpatterns = [
    path("mon-compte/mes-donnees/", views.my_data, name="my_data"),
    path("mon-compte/mes-donnees/demander/", views.request_data_export, name="request_data_export"),
    path("mon-compte/mes-donnees/<uuid:pk>/etat/", views.data_export_status, name="data_export_status"),
    path("mon-compte/mes-donnees/<uuid:pk>/telecharger/", views.download_data_export, name="download_data_export"),
    # The account page "Supprimer mon compte" (it was accounts'; deletion now reaches every app).
    path("mon-compte/suppression/", views.account_delete, name="account_delete"),
]
