"""The owner's report pages (dashboard)."""
from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/reservations/<str:reference>/signaler/", views.report_new, name="report_new"),
    path("tableau-de-bord/signalements/", views.dashboard_reports, name="dashboard_reports"),
    path("tableau-de-bord/signalements/<int:pk>/", views.dashboard_report, name="dashboard_report"),
]
