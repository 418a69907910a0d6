from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/exports/<uuid:pk>/", views.export_job, name="export_job"),
    path("tableau-de-bord/exports/<uuid:pk>/etat/", views.export_job_status, name="export_job_status"),
    path("tableau-de-bord/exports/<uuid:pk>/telecharger/", views.export_download, name="export_download"),
    # After the job URLs: a job id would also match <slug:kind>/<slug:fmt>.
    path("tableau-de-bord/exports/<slug:kind>/<slug:fmt>/", views.export_list, name="export_list"),
]
